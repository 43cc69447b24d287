package dev.dreamoven.settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of Dream Oven, typed, read once from an {@link AppConfig} by {@link #from}. The
 * defaults live only in {@code config/dreamoven.properties}; no code repeats them. The composition
 * root turns these records into constructor arguments, so the services themselves never see a
 * configuration key.
 */
public record Settings(Torch torch, Model model, Dream dream, Store store, Bake bake, Queue queue, Discord discord) {

    /** {@code torch.*}: libtorch's thread counts (0 intra-op threads = one per core). */
    public record Torch(int threads, int interopThreads) {
    }

    /**
     * {@code model.*}: the CLIP model.
     *
     * @param checkpoint {@code shapes} (shipped) or a checkpoint file
     * @param vocab the BPE vocabulary of a checkpoint file; empty for the shipped model
     */
    public record Model(String checkpoint, Optional<Path> vocab) {
    }

    /** {@code dream.*}: what a request leaves open. */
    public record Dream(String preset, int size, int scale, String palette, double negativeWeight) {
    }

    /** {@code store.*}: where state lives. */
    public record Store(Path database, Path baked, Path results) {
    }

    /** {@code bake.*}: baking and (auto-)microwaving. */
    public record Bake(int stages, int candidates, double autoMaxDistance, double autoPathWeight, boolean autoSplice,
            double microwaveLerp) {
    }

    /** {@code render.*}: the durable queue's limits. */
    public record Queue(int capacity, int perUser) {
    }

    /**
     * {@code discord.*}: the bot.
     *
     * @param guilds guild ids for instant command registration; empty = global commands
     */
    public record Discord(Path tokenFile, List<String> guilds, String adminRole, Duration previewEvery) {
    }

    /** Reads every setting; a missing or malformed one is an {@link AppConfig.ConfigException}. */
    public static Settings from(AppConfig c) {
        return new Settings(
                new Torch(c.getInt("torch.threads"), c.getInt("torch.interop-threads")),
                new Model(c.get("model.checkpoint"), c.find("model.vocab").map(Path::of)),
                new Dream(c.get("dream.preset"), c.getInt("dream.size"), c.getInt("dream.scale"), c.get("dream.palette"),
                        c.getDouble("dream.negative-weight")),
                new Store(Path.of(c.get("store.database")), Path.of(c.get("store.baked")), Path.of(c.get("store.results"))),
                new Bake(c.getInt("bake.stages"), c.getInt("bake.candidates"), c.getDouble("bake.auto-max-distance"),
                        c.getDouble("bake.auto-path-weight"), c.getBoolean("bake.auto-splice"),
                        c.getDouble("bake.microwave-lerp")),
                new Queue(c.getInt("render.capacity"), c.getInt("render.per-user")),
                new Discord(Path.of(c.get("discord.token-file")), list(c.find("discord.guilds").orElse("")),
                        c.find("discord.admin-role").orElse(""), Duration.ofSeconds(c.getInt("discord.preview-seconds"))));
    }

    /**
     * The defaults, overridden by a properties file, overridden by {@code DREAMOVEN_<KEY>} variables.
     *
     * @param file {@code --config FILE} (must exist), or null for {@code $DREAMOVEN_CONFIG}, else
     *     {@code ./config/dreamoven.properties} where present
     */
    public static Settings load(Path file, Map<String, String> environment) {
        return from(config(file, environment));
    }

    /** The configuration {@link #load} reads the settings from. */
    public static AppConfig config(Path file, Map<String, String> environment) {
        if (file != null && !Files.isRegularFile(file)) {
            throw new AppConfig.ConfigException("configuration file " + file + " does not exist");
        }
        Path chosen = file != null ? file
                : environment.containsKey("DREAMOVEN_CONFIG") ? Path.of(environment.get("DREAMOVEN_CONFIG"))
                : Path.of("config", "dreamoven.properties");
        return AppConfig.load(chosen, environment);
    }

    /** Comma list → items; blank → none. */
    static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public Settings withTorch(Torch other) {
        return new Settings(other, model, dream, store, bake, queue, discord);
    }

    public Settings withModel(Model other) {
        return new Settings(torch, other, dream, store, bake, queue, discord);
    }

    public Settings withQueue(Queue other) {
        return new Settings(torch, model, dream, store, bake, other, discord);
    }

    public Settings withBake(Bake other) {
        return new Settings(torch, model, dream, store, other, queue, discord);
    }
}
