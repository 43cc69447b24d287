#!/bin/bash
# Reproduces the shipped toy-world model (src/main/resources/models/shapes/) from a fresh seeded init.
# Usage: src/main/scripts/train-shapes.sh [OUT_DIR]   (after: mvn -o -q -B package -DskipTests)
#
# Training runs in chunks of 250 steps, each continuing from the previous chunk's
# model.safetensors with its own seed (so batches never repeat) and its own warmup + cosine
# schedule, the peak learning rate stepping down. Why chunks: libtorch (via DJL) segfaulted in two
# single-process runs after ~330 and ~490 steps; a chunk that dies is simply run again.
# One libtorch thread: two threads collapse on a shared CPU. About 4.5 steps/s on one free core.
set -u
out=${1:-/tmp/shapes-train}
jar=${JAR:-target/dreamoven.jar}
patch=${PATCH:-16}
mkdir -p "$out"
prev=""
i=0
for lr in 1.5e-3 1.5e-3 1.5e-3 1.5e-3 1e-3 1e-3 1e-3 5e-4 5e-4 2.5e-4 5e-4; do
  i=$((i+1))
  for attempt in 1 2 3; do
    from=""; [ -n "$prev" ] && from="--from $prev/model.safetensors"
    echo "=== chunk $i lr $lr attempt $attempt $(date +%T)"
    java -jar "$jar" --threads 1 toyworld train --out "$out/c$i" --steps 250 --seed $((10+i)) --lr $lr \
        --patch $patch --eval-every 0 $from 2>>"$out/stderr.log" && break
  done
  [ -f "$out/c$i/model.safetensors" ] || { echo "chunk $i failed 3 times"; exit 1; }
  prev="$out/c$i"
done
echo "=== done $(date +%T): $prev/model.safetensors and $prev/vocab.txt.gz"
