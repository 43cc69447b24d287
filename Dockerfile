# Dream Oven: the Discord bot (`serve`) in a container.
#
#   docker build -t dreamoven .
#   docker run -d --name dreamoven -e DISCORD_TOKEN=... \
#       -v dreamoven-data:/app/data -v dreamoven-baked:/app/baked dreamoven
#   docker stop -t 75 dreamoven   # lets the running job go back to the queue (the queue waits up to 60 s)
#
# The token may also come from a file: mount it and point discord.token-file at it, e.g.
#   -v ./secrets/discord-token:/run/secrets/discord-token:ro -e DREAMOVEN_DISCORD_TOKEN_FILE=/run/secrets/discord-token
# Any setting can be overridden with DREAMOVEN_<KEY> (see config/dreamoven.properties).
#
# CPU by default: libtorch for CPU (pytorch-native-cpu 2.7.1, linux-x86_64) is inside the jar.
#
# CUDA: `docker build --build-arg FLAVOR=cuda -t dreamoven:cuda .`, then run with `--gpus all`.
#   - The jar is built with `mvn -Pcuda` (pom.xml, profile cuda): DJL 0.33.0 with libtorch 2.5.1, the
#     newest CUDA libtorch Maven Central serves for DJL (pytorch-native-cu124:2.5.1, 2.46 GB, with
#     cudart, cuBLAS and cuDNN inside; no cu128 build of 2.7.1 is published there). Its CPU natives are
#     inside the jar, the CUDA natives beside it in /app/natives (named by the jar's Class-Path).
#   - Runtime base: nvidia/cuda:12.4.1-base-ubuntu22.04 (only the driver hooks: the CUDA libraries come
#     with the natives) plus Ubuntu's openjdk-17-jre-headless. The host needs the NVIDIA driver (550+)
#     and the NVIDIA Container Toolkit.
#   - torch.device=auto (the default) takes the GPU; without one (no --gpus, no driver) the same image
#     dreams on the CPU. First start unpacks about 4 GB of CUDA libraries into /app/cache.
#   - One process computes on one device: the render worker is single-threaded and owns the GPU.
# Neither image was built where this file was written (no Docker engine there).

ARG FLAVOR=cpu

# ---- build -----------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
ARG FLAVOR
WORKDIR /src
# Dependencies first, so code changes do not download them again.
COPY pom.xml .
RUN mvn -B -ntp -q $([ "$FLAVOR" = cuda ] && echo -Pcuda) dependency:go-offline
COPY src ./src
COPY config ./config
COPY baked ./baked
# The tests need ../shared fixtures that are not in the image; CI runs them.
RUN mvn -B -ntp -q $([ "$FLAVOR" = cuda ] && echo -Pcuda) package -DskipTests && mkdir -p target/natives

# ---- runtime bases -----------------------------------------------------------------------------
FROM eclipse-temurin:17-jre AS base-cpu

FROM nvidia/cuda:12.4.1-base-ubuntu22.04 AS base-cuda
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/*
ENV NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility

# ---- runtime ---------------------------------------------------------------------------------
FROM base-${FLAVOR}
RUN groupadd --system --gid 10001 dreamoven \
    && useradd --system --uid 10001 --gid dreamoven --home-dir /app --shell /usr/sbin/nologin dreamoven
WORKDIR /app
COPY --from=build /src/target/dreamoven.jar /app/dreamoven.jar
# Empty for the CPU image; the CUDA natives for FLAVOR=cuda.
COPY --from=build /src/target/natives /app/natives
COPY --from=build /src/config /app/config
# The baked paths shipped with the repository seed the baked/ volume on its first use.
COPY baked /app/baked
# data/: the SQLite database (queue, results index) and finished pictures; baked/: baked paths;
# cache/: where DJL unpacks libtorch on first start (about 430 MB; 4 GB more for CUDA).
RUN mkdir -p /app/data /app/baked /app/cache /app/secrets \
    && chown -R dreamoven:dreamoven /app/data /app/baked /app/cache /app/secrets
ENV DJL_CACHE_DIR=/app/cache \
    ENGINE_CACHE_DIR=/app/cache \
    DREAMOVEN_STORE_DATABASE=/app/data/dreamoven.db \
    DREAMOVEN_STORE_RESULTS=/app/data/results \
    DREAMOVEN_STORE_BAKED=/app/baked \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
VOLUME ["/app/data", "/app/baked"]
USER dreamoven
# Exec form: java is PID 1 and gets SIGTERM, so the shutdown hook puts the running job back.
ENTRYPOINT ["java", "-jar", "/app/dreamoven.jar"]
CMD ["serve"]
