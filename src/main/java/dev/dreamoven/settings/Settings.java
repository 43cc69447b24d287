package dev.dreamoven.settings;

import java.net.URI;
import java.net.URISyntaxException;
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

    /**
     * {@code torch.*}: libtorch's thread counts (0 intra-op threads = one per core), the device to
     * compute on and the precision of the CLIP towers when that device is a GPU.
     */
    public record Torch(int threads, int interopThreads, Device device, GpuPrecision gpuPrecision) {

        public Torch withThreads(int other) {
            return new Torch(other, interopThreads, device, gpuPrecision);
        }

        public Torch withDevice(Device other) {
            return new Torch(threads, interopThreads, other, gpuPrecision);
        }
    }

    /**
     * {@code torch.device}: {@code auto} (a CUDA GPU when libtorch sees one, else the CPU), {@code cpu},
     * {@code cuda} (the first GPU) or {@code cuda:N}.
     *
     * @param index the GPU's index for {@code cuda:N}; -1 otherwise
     */
    public record Device(Kind kind, int index) {

        public enum Kind { AUTO, CPU, CUDA }

        public static final String CHOICES = "auto, cpu, cuda or cuda:N";

        public Device {
            if (index < -1 || index >= 0 && kind != Kind.CUDA) {
                throw new IllegalArgumentException("only cuda takes a GPU index: " + kind + " " + index);
            }
        }

        /**
         * @throws IllegalArgumentException with a message naming {@link #CHOICES} when the text is none of them
         */
        public static Device parse(String text) {
            String v = text.strip().toLowerCase(java.util.Locale.ROOT);
            switch (v) {
                case "auto":
                    return new Device(Kind.AUTO, -1);
                case "cpu":
                    return new Device(Kind.CPU, -1);
                case "cuda":
                    return new Device(Kind.CUDA, -1);
                default:
                    if (v.matches("cuda:[0-9]{1,3}")) {
                        return new Device(Kind.CUDA, Integer.parseInt(v.substring(v.indexOf(':') + 1)));
                    }
                    throw new IllegalArgumentException("must be " + CHOICES + ", got '" + text.strip() + "'");
            }
        }

        @Override
        public String toString() {
            return index >= 0 ? "cuda:" + index : kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * {@code torch.gpu-precision}: what the CLIP towers' matrix products compute in on a GPU (pixels,
     * losses and optimizer state stay float32; on the CPU everything is float32 whatever this says).
     */
    public enum GpuPrecision {
        FLOAT16, FLOAT32;

        static GpuPrecision parse(String key, String text) {
            for (GpuPrecision p : values()) {
                if (p.name().equalsIgnoreCase(text.strip())) {
                    return p;
                }
            }
            throw new AppConfig.ConfigException("configuration '" + key + "' must be float16 or float32, got '"
                    + text.strip() + "'");
        }
    }

    /**
     * {@code model.*}: the CLIP model.
     *
     * @param checkpoint {@code shapes} (shipped) or a checkpoint file
     * @param vocab the BPE vocabulary of a checkpoint file; empty for the shipped model and for
     *     OpenAI's models (their vocabulary is downloaded like a checkpoint)
     * @param name a model name ({@code ViT-B/32}), a file, or a comma list of them with weights
     *     ({@code ViT-B/32,RN50:0.5}); when set it wins over {@code checkpoint}
     * @param cache where downloaded checkpoints go
     * @param downloadUrl OpenAI's checkpoints are at {@code <downloadUrl><sha256>/<file>}
     * @param vocabUrl where OpenAI's BPE vocabulary is downloaded from
     * @param extraModels more names, {@code NAME=SHA256/FILE} comma-separated, downloaded from
     *     {@code downloadUrl} like OpenAI's (a mirror's own checkpoints, a test server's)
     */
    public record Model(String checkpoint, Optional<Path> vocab, String name, Path cache, URI downloadUrl,
            URI vocabUrl, String extraModels) {

        /** What to open: {@link #name} when set, else {@link #checkpoint}. */
        public String spec() {
            return name.isBlank() ? checkpoint : name;
        }

        /** A checkpoint file (or name) instead of the configured model; {@code name} no longer applies. */
        public Model withCheckpoint(String other) {
            return new Model(other, vocab, "", cache, downloadUrl, vocabUrl, extraModels);
        }

        public Model withName(String other) {
            return new Model(checkpoint, vocab, other, cache, downloadUrl, vocabUrl, extraModels);
        }

        public Model withVocab(Path other) {
            return new Model(checkpoint, Optional.of(other), name, cache, downloadUrl, vocabUrl, extraModels);
        }
    }

    /** {@code dream.*}: what a request leaves open. */
    public record Dream(String preset, int size, int scale, String palette, double negativeWeight) {
    }

    /**
     * {@code store.*}: where state lives.
     *
     * @param database the SQLite file, when {@code url} is empty
     * @param url empty, or {@code jdbc:postgresql://host:port/database}: PostgreSQL instead of the file
     * @param user PostgreSQL's login role; empty: the driver's default
     * @param passwordFile the file holding PostgreSQL's password (env {@code DREAMOVEN_STORE_PASSWORD} wins)
     */
    public record Store(Path database, Path baked, Path results, String url, String user,
            Optional<Path> passwordFile) {
        /** The SQLite file {@code database} and no PostgreSQL. */
        public static Store sqlite(Path database, Path baked, Path results) {
            return new Store(database, baked, results, "", "", Optional.empty());
        }
    }

    /** {@code bake.*}: baking and (auto-)microwaving. */
    public record Bake(int stages, int candidates, double autoMaxDistance, double autoPathWeight, boolean autoSplice,
            double microwaveLerp) {
    }

    /**
     * {@code render.*}: the durable queue's limits, and how long a worker holds a job without renewing
     * (a worker that stops renewing, a killed or cut-off host, loses the job to another after it).
     */
    public record Queue(int capacity, int perUser, Duration lease) {
        public Queue {
            if (lease.toMillis() < 1000) {
                throw new AppConfig.ConfigException("configuration 'render.lease-seconds' must be at least 1");
            }
        }
    }

    /**
     * {@code discord.*}: the bot.
     *
     * @param guilds guild ids to register /dream, /queue and /cancel in (instant); empty = global
     * @param adminGuild the guild where the bot is administered (/bake lives there only); empty = none
     * @param adminRoles role ids in {@code adminGuild} whose members may /bake
     * @param owners user ids of the bot's owners: they see and cancel every server's jobs
     * @param deliveryTries tries of one result before it is marked undeliverable (restarts included)
     * @param deliveryRetry wait before the second try; doubled for each further one
     * @param shards 0 = as many as Discord recommends
     * @param apiUrl REST base URL, ending in a slash (http or https)
     * @param gatewayUrl gateway WebSocket URL (ws or wss)
     * @param shardIds the shards of {@code shards} this process connects; empty = all of them
     */
    public record Discord(Path tokenFile, List<String> guilds, String adminGuild, List<String> adminRoles,
            List<String> owners, Duration previewEvery, int deliveryTries, Duration deliveryRetry, int shards,
            URI apiUrl, URI gatewayUrl, List<Integer> shardIds) {
        public Discord {
            guilds = List.copyOf(guilds);
            adminRoles = List.copyOf(adminRoles);
            owners = List.copyOf(owners);
            shardIds = List.copyOf(shardIds);
        }
    }

    /** Reads every setting; a missing or malformed one is an {@link AppConfig.ConfigException}. */
    public static Settings from(AppConfig c) {
        return new Settings(
                new Torch(c.getInt("torch.threads"), c.getInt("torch.interop-threads"), device(c),
                        GpuPrecision.parse("torch.gpu-precision", c.get("torch.gpu-precision"))),
                new Model(c.get("model.checkpoint"), c.find("model.vocab").map(Path::of), c.find("model.name").orElse(""),
                        c.find("model.cache").map(Path::of).orElseGet(Settings::userCache),
                        url(c, "model.download-url", "http", "https"), vocabUrl(c), c.find("model.extra-models").orElse("")),
                new Dream(c.get("dream.preset"), c.getInt("dream.size"), c.getInt("dream.scale"), c.get("dream.palette"),
                        c.getDouble("dream.negative-weight")),
                new Store(Path.of(c.get("store.database")), Path.of(c.get("store.baked")), Path.of(c.get("store.results")),
                        c.find("store.url").orElse(""), c.find("store.user").orElse(""),
                        c.find("store.password-file").map(Path::of)),
                new Bake(c.getInt("bake.stages"), c.getInt("bake.candidates"), c.getDouble("bake.auto-max-distance"),
                        c.getDouble("bake.auto-path-weight"), c.getBoolean("bake.auto-splice"),
                        c.getDouble("bake.microwave-lerp")),
                new Queue(c.getInt("render.capacity"), c.getInt("render.per-user"),
                        Duration.ofMillis(Math.round(1000 * c.getDouble("render.lease-seconds")))),
                discord(c));
    }

    private static Device device(AppConfig c) {
        try {
            return Device.parse(c.get("torch.device"));
        } catch (IllegalArgumentException e) {
            throw new AppConfig.ConfigException("configuration 'torch.device' " + e.getMessage());
        }
    }

    private static Discord discord(AppConfig c) {
        int tries = c.getInt("discord.delivery-tries");
        int shards = c.getInt("discord.shards");
        if (tries < 1 || shards < 0 || c.getInt("discord.delivery-retry-seconds") < 0
                || c.getInt("discord.preview-seconds") < 0) {
            throw new AppConfig.ConfigException("discord.delivery-tries must be at least 1, and discord.shards, "
                    + "discord.delivery-retry-seconds and discord.preview-seconds at least 0");
        }
        return new Discord(Path.of(c.get("discord.token-file")), ids(c, "discord.guilds"),
                c.find("discord.admin-guild").orElse(""), ids(c, "discord.admin-roles"), ids(c, "discord.owners"),
                Duration.ofSeconds(c.getInt("discord.preview-seconds")), tries,
                Duration.ofSeconds(c.getInt("discord.delivery-retry-seconds")), shards,
                url(c, "discord.api-url", "http", "https"), url(c, "discord.gateway-url", "ws", "wss"),
                shardIds(c, shards));
    }

    /** {@code discord.shard-ids}: distinct shard numbers below {@code discord.shards}, which must then be fixed. */
    private static List<Integer> shardIds(AppConfig c, int total) {
        List<String> given = list(c.find("discord.shard-ids").orElse(""));
        if (given.isEmpty()) {
            return List.of();
        }
        if (total < 1) {
            throw new AppConfig.ConfigException("configuration 'discord.shard-ids' needs 'discord.shards', the total "
                    + "of all processes' shards, set above 0");
        }
        List<Integer> ids = new java.util.ArrayList<>();
        for (String v : given) {
            int id;
            try {
                id = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                id = -1;
            }
            if (id < 0 || id >= total || ids.contains(id)) {
                throw new AppConfig.ConfigException("configuration 'discord.shard-ids' must be a comma list of "
                        + "distinct shard numbers from 0 to " + (total - 1) + " (discord.shards=" + total + "), got '"
                        + v + "'");
            }
            ids.add(id);
        }
        return ids;
    }

    /**
     * The user's cache folder for Dream Oven: {@code $XDG_CACHE_HOME/dreamoven}, else
     * {@code %LOCALAPPDATA%\\dreamoven} on Windows, else {@code ~/.cache/dreamoven}.
     */
    static Path userCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "dreamoven");
        }
        String local = System.getenv("LOCALAPPDATA");
        if (local != null && !local.isBlank()) {
            return Path.of(local, "dreamoven");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "dreamoven");
    }

    /** {@code model.vocab-url}: an http(s) URL of the file itself (no slash added). */
    private static URI vocabUrl(AppConfig c) {
        URI u = url(c, "model.vocab-url", "http", "https");
        String v = c.get("model.vocab-url");
        return v.endsWith("/") ? u : URI.create(v);
    }

    /** A comma list of Discord ids (snowflakes: digits only). */
    private static List<String> ids(AppConfig c, String key) {
        List<String> ids = list(c.find(key).orElse(""));
        for (String id : ids) {
            if (!id.matches("[0-9]{1,20}")) {
                throw new AppConfig.ConfigException("configuration '" + key + "' must be a comma list of ids "
                        + "(digits, e.g. 1234567890123456789), got '" + id + "'");
            }
        }
        return ids;
    }

    /** An absolute URL with one of the schemes; an http(s) one always ends in a slash. */
    private static URI url(AppConfig c, String key, String plain, String secure) {
        String v = c.get(key);
        URI u;
        try {
            u = new URI(v);
        } catch (URISyntaxException e) {
            throw new AppConfig.ConfigException("configuration '" + key + "' is not a URL: '" + v + "'");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals(plain) || scheme.equals(secure)) || u.getHost() == null) {
            throw new AppConfig.ConfigException("configuration '" + key + "' must be a " + plain + ":// or " + secure
                    + ":// URL, got '" + v + "'");
        }
        return scheme.startsWith("http") && !v.endsWith("/") ? URI.create(v + "/") : u;
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

    public Settings withDiscord(Discord other) {
        return new Settings(torch, model, dream, store, bake, queue, other);
    }

    public Settings withStore(Store other) {
        return new Settings(torch, model, dream, other, bake, queue, discord);
    }

    public Settings withBake(Bake other) {
        return new Settings(torch, model, dream, store, other, queue, discord);
    }
}
