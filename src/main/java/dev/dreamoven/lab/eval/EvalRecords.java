package dev.dreamoven.lab.eval;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.image.AtomicFiles;
import dev.dreamoven.image.PngFiles;
import dev.dreamoven.image.RgbImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An evaluation on disk, so that shards can run apart (other processes, other machines) and be
 * merged, and an interrupted shard resumes: per shard {@code shard-I-of-N.json} (what was asked)
 * and {@code dreams-I-of-N.jsonl} (one finished dream a line, appended as it finishes), and every
 * output at its own size in {@code pictures/NNNNN.png} (NNNNN: the dream's place in the plan).
 */
public final class EvalRecords {

    /**
     * What a shard was asked.
     *
     * @param args the eval's arguments without {@code --shard} and {@code --out}: shards of one
     *     evaluation have the same
     * @param jobs dreams in the whole plan
     */
    public record Shard(int shard, int of, int jobs, List<String> args) {
    }

    /** The merged dreams of every shard, in plan order, and where each one's picture is. */
    public record Merged(List<Evaluation.Dream> dreams, Map<Integer, Path> pictures) {
    }

    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();
    private static final Pattern SHARD_FILE = Pattern.compile("shard-(\\d+)-of-(\\d+)\\.json");

    private final Path dir;
    private final Shard shard;

    private EvalRecords(Path dir, Shard shard) {
        this.dir = dir;
        this.shard = shard;
    }

    /**
     * Opens shard {@code shard.shard()} of {@code shard.of()} in {@code dir} for writing: a new one,
     * or the same shard of the same evaluation to resume.
     *
     * @throws InvalidInputException when {@code dir} holds this shard of another evaluation
     */
    public static EvalRecords open(Path dir, Shard shard) throws IOException {
        Files.createDirectories(dir.resolve("pictures"));
        Path header = dir.resolve(headerName(shard.shard(), shard.of()));
        if (Files.exists(header)) {
            Shard before = readHeader(header);
            if (!before.equals(shard)) {
                throw new InvalidInputException(dir + " holds shard " + shard.shard() + "/" + shard.of()
                        + " of another evaluation (" + String.join(" ", before.args()) + "); use another --out");
            }
        } else {
            AtomicFiles.write(header, GSON.toJson(shard).getBytes(StandardCharsets.UTF_8));
        }
        return new EvalRecords(dir, shard);
    }

    /** The dreams this shard has already finished; a last line cut short by a killed run is dropped. */
    public List<Evaluation.Dream> done() throws IOException {
        Path file = dir.resolve(dreamsName(shard.shard(), shard.of()));
        List<Evaluation.Dream> done = readDreams(file);
        if (Files.exists(file) && Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).count() != done.size()) {
            StringBuilder kept = new StringBuilder();
            done.forEach(d -> kept.append(GSON.toJson(d)).append('\n'));
            AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
        }
        return done;
    }

    /** Writes the picture, then appends the dream (so a listed dream always has its picture). */
    public void add(Evaluation.Dream dream, RgbImage picture) throws IOException {
        PngFiles.write(picture(dir, dream.index()), picture, Map.of("prompt", dream.prompt(),
                "seed", Long.toString(dream.seed()), "configuration", dream.config(), "mode", dream.mode()));
        Files.writeString(dir.resolve(dreamsName(shard.shard(), shard.of())), GSON.toJson(dream) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Makes {@code jobs} with {@code evaluation}, recording each dream here as it is made, under a
     * progress bar named {@code task} on stderr whose message is what {@code label} says of the last
     * dream. A stopped run keeps what it recorded; the next one resumes from it.
     */
    public List<Evaluation.Dream> make(Evaluation evaluation, List<Evaluation.Job> jobs, String task,
            java.util.function.Function<Evaluation.Dream, String> label) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        try (me.tongfei.progressbar.ProgressBar bar = new me.tongfei.progressbar.ProgressBarBuilder().setTaskName(task)
                .setStyle(me.tongfei.progressbar.ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .setInitialMax(jobs.size()).build()) {
            return evaluation.run(jobs, (d, picture, done, total) -> {
                try {
                    add(d, picture);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the dream to " + dir, e);
                }
                bar.stepTo(done);
                bar.setExtraMessage(label.apply(d));
            });
        }
    }

    /**
     * Every shard found in {@code dirs}, merged.
     *
     * @throws InvalidInputException when the shards belong to different evaluations, or some are
     *     missing or unfinished
     */
    public static Merged merge(List<Path> dirs) throws IOException {
        Map<Integer, Path> headers = new HashMap<>();
        Shard first = null;
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new InvalidInputException("no folder " + dir);
            }
            List<Path> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(f -> SHARD_FILE.matcher(f.getFileName().toString()).matches()).sorted().toList();
            }
            for (Path f : files) {
                Shard s = readHeader(f);
                if (first == null) {
                    first = s;
                } else if (s.of() != first.of() || s.jobs() != first.jobs() || !s.args().equals(first.args())) {
                    throw new InvalidInputException("shards of different evaluations: " + f + " ("
                            + String.join(" ", s.args()) + ") and " + String.join(" ", first.args()));
                }
                if (headers.put(s.shard(), f) != null) {
                    throw new InvalidInputException("shard " + s.shard() + "/" + s.of() + " found twice");
                }
            }
        }
        if (first == null) {
            throw new InvalidInputException("no eval shards (shard-I-of-N.json) in " + dirs);
        }
        TreeSet<Integer> missing = new TreeSet<>();
        for (int i = 1; i <= first.of(); i++) {
            if (!headers.containsKey(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException("shards missing: " + missing + " of " + first.of());
        }
        List<Evaluation.Dream> dreams = new ArrayList<>();
        Map<Integer, Path> pictures = new HashMap<>();
        for (Map.Entry<Integer, Path> e : headers.entrySet()) {
            Path dir = e.getValue().toAbsolutePath().getParent();
            for (Evaluation.Dream d : readDreams(dir.resolve(dreamsName(e.getKey(), first.of())))) {
                if (pictures.put(d.index(), picture(dir, d.index())) != null) {
                    throw new InvalidInputException("dream " + d.index() + " found twice");
                }
                dreams.add(d);
            }
        }
        if (dreams.size() != first.jobs()) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "unfinished: %d of %d dreams (rerun the shards that stopped: they resume)", dreams.size(), first.jobs()));
        }
        dreams.sort(Comparator.comparingInt(Evaluation.Dream::index));
        return new Merged(dreams, pictures);
    }

    /** The picture of a dream, at its own size. */
    public static Optional<RgbImage> readPicture(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(PngFiles.read(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path picture(Path dir, int index) {
        return dir.resolve("pictures").resolve(String.format(Locale.ROOT, "%05d.png", index));
    }

    static String headerName(int shard, int of) {
        return "shard-" + shard + "-of-" + of + ".json";
    }

    static String dreamsName(int shard, int of) {
        return "dreams-" + shard + "-of-" + of + ".jsonl";
    }

    private static Shard readHeader(Path file) throws IOException {
        Matcher m = SHARD_FILE.matcher(file.getFileName().toString());
        try {
            Shard s = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Shard.class);
            if (s == null || !m.matches() || s.shard() != Integer.parseInt(m.group(1)) || s.of() != Integer.parseInt(m.group(2))) {
                throw new InvalidInputException("not an eval shard: " + file);
            }
            return s;
        } catch (JsonParseException e) {
            throw new InvalidInputException("not an eval shard: " + file + " (" + e.getMessage() + ")");
        }
    }

    private static List<Evaluation.Dream> readDreams(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Evaluation.Dream> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(GSON.fromJson(line, Evaluation.Dream.class));
            } catch (JsonParseException e) {
                // A line cut short by a killed process: that dream is simply made again.
                continue;
            }
        }
        return out;
    }
}
