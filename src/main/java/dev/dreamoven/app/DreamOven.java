package dev.dreamoven.app;

import ai.djl.ndarray.NDManager;
import dev.dreamoven.bake.BakedPathStore;
import dev.dreamoven.bake.Oven;
import dev.dreamoven.bake.Planner;
import dev.dreamoven.bake.PromptLimits;
import dev.dreamoven.bake.ShippedBakedPaths;
import dev.dreamoven.bake.TextEmbeddingCache;
import dev.dreamoven.bot.Channels;
import dev.dreamoven.bot.DreamBot;
import dev.dreamoven.bot.Shards;
import dev.dreamoven.cli.Services;
import dev.dreamoven.clip.ClipModels;
import dev.dreamoven.clip.Downloads;
import dev.dreamoven.clip.ModelCatalog;
import dev.dreamoven.clip.NamedModels;
import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.clip.TorchDevice;
import dev.dreamoven.clip.TorchRuntime;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.common.IoErrors;
import dev.dreamoven.discord.Access;
import dev.dreamoven.discord.BotToken;
import dev.dreamoven.discord.DiscordService;
import dev.dreamoven.render.BakedPrompts;
import dev.dreamoven.render.OvenEngine;
import dev.dreamoven.render.RenderEngine;
import dev.dreamoven.render.CheckOnlyEngine;
import dev.dreamoven.render.JobOrigin;
import dev.dreamoven.render.RenderQueue;
import dev.dreamoven.render.StoreBakedPrompts;
import dev.dreamoven.settings.Settings;
import dev.dreamoven.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.function.Supplier;

/**
 * The composition root: the one place where Dream Oven's services are built and wired, by
 * constructor injection, from the {@link Settings} read once at start-up. Each service is built at
 * most once, on first use (so {@code baked list} never loads a model and {@code clip tokenize} never
 * starts libtorch), and everything built is closed with the root, last built first. The command line
 * ({@link Main}, and the lab's own main) hands it to the commands; {@code serve} and {@code console}
 * get their bot from {@link #bot} alike. Nothing here is replaceable after construction: a different
 * engine or store is a different argument, not a setter.
 */
public final class DreamOven implements Services, AutoCloseable {

    /** A stop waits this long for the running job to notice. */
    private static final long SHUTDOWN_WAIT_MILLIS = 60_000;
    /** Starts of one job at most: a crash costs one. */
    private static final int MAX_ATTEMPTS = 2;

    private final Settings settings;
    private final Map<String, String> environment;
    private final Clock clock = Clock.systemUTC();
    private final Deque<AutoCloseable> built = new ArrayDeque<>();

    private final Supplier<Object> torch = once(this::buildTorch);
    private final Supplier<TorchDevice> device = once(this::buildDevice);
    private final Supplier<Database> database = once(this::buildDatabase);
    private final Supplier<BakedPathStore> bakedPaths = once(this::buildBakedPaths);
    private final Supplier<LoadedClip> clip = once(this::buildClip);
    private final Supplier<Oven> oven = once(this::buildOven);
    private final Supplier<RenderEngine> renderEngine = once(this::buildRenderEngine);
    private final Supplier<BakedPrompts> bakedPrompts = once(this::buildBakedPrompts);

    /** @param environment the process environment ({@code DISCORD_TOKEN}) */
    public DreamOven(Settings settings, Map<String, String> environment) {
        this.settings = settings;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public void startTorch() {
        torch.get();
    }

    @Override
    public TorchDevice torchDevice() {
        return device.get();
    }

    /** The SQLite database {@code store.database}: jobs, the baked-path index, posted results. */
    public Database database() {
        return database.get();
    }

    @Override
    public BakedPathStore bakedPaths() {
        return bakedPaths.get();
    }

    /** The configured CLIP model or ensemble ({@code model.name}, else {@code model.checkpoint}; {@code model.vocab}). */
    public LoadedClip clip() {
        return clip.get();
    }

    @Override
    public NamedModels namedModels() {
        Settings.Model m = settings.model();
        // Downloads report progress on stderr, where the dream's own progress bar goes.
        return new NamedModels(ModelCatalog.openAi().withExtras(m.extraModels()), m.downloadUrl(), m.vocabUrl(),
                m.cache(), new Downloads(System.err));
    }

    @Override
    public Oven oven() {
        return oven.get();
    }

    @Override
    public RenderEngine renderEngine() {
        return renderEngine.get();
    }

    @Override
    public RenderEngine botEngine() {
        Settings.Model m = settings.model();
        return new CheckOnlyEngine(once(() -> ClipModels.promptTokenizer(m.spec(), m.vocab(), namedModels())
                .map(tokenizer -> new PromptLimits(tokenizer, m.spec().strip()))
                .orElseGet(() -> oven().promptLimits())));
    }

    /** The baked-path store as the chat's {@code /bake} commands and autocomplete see it. */
    public BakedPrompts bakedPrompts() {
        return bakedPrompts.get();
    }

    @Override
    public String discordToken() {
        String fromEnv = environment.get("DISCORD_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return BotToken.clean(fromEnv, "DISCORD_TOKEN");
        }
        Path file = settings.discord().tokenFile();
        if (Files.isRegularFile(file)) {
            String t;
            try {
                t = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InvalidInputException("cannot read the token file " + file + ": " + e.getClass().getSimpleName());
            }
            if (!t.isBlank()) {
                return BotToken.clean(t, "the token file " + file);
            }
        }
        throw new InvalidInputException("no Discord token: set DISCORD_TOKEN or put the token in " + file);
    }

    @Override
    public AutoCloseable serveDiscord(String token, RenderEngine engine, RenderQueue.Role role)
            throws InterruptedException {
        RenderQueue queue = queue(database(), settings.store().results(), engine);
        LongSupplier seeds = seeds();
        Settings.Discord d = settings.discord();
        DiscordService.Settings discord = new DiscordService.Settings(d.guilds(),
                new Access(d.adminGuild(), Set.copyOf(d.adminRoles()), Set.copyOf(d.owners())), d.shards(),
                d.shardIds(), d.apiUrl(), d.gatewayUrl());
        try {
            return own(DiscordService.start(token, discord, queue,
                    (channels, work) -> bot(database(), queue, channels, work, seeds),
                    bot -> queue.start(role, bot, origin -> ownShard(d, origin)), UnaryOperator.identity()));
        } catch (DiscordService.LoginException e) {
            throw new LoginFailed(e.getMessage(), e);
        }
    }

    /** Whether a job's requester is this process's to tell: every job, or those of its shards ({@code discord.shard-ids}). */
    private static boolean ownShard(Settings.Discord d, JobOrigin origin) {
        return d.shardIds().isEmpty() || d.shardIds().contains(Shards.shardOf(origin.guildId(), d.shards()));
    }

    @Override
    public AutoCloseable serveWorker(RenderEngine engine) {
        RenderQueue queue = queue(database(), settings.store().results(), engine);
        queue.startWorker();
        return queue;
    }

    @Override
    public Chat chat(Database db, Path results, RenderEngine engine, Channels transport, Executor work,
            LongSupplier seeds) {
        RenderQueue queue = queue(db, results, engine);
        return new Chat(bot(db, queue, transport, work, seeds), queue);
    }

    /** The durable render queue on {@code db}, not started; closed with the root. */
    RenderQueue queue(Database db, Path results, RenderEngine engine) {
        return own(new RenderQueue(db, engine, new RenderQueue.Settings(settings.queue().capacity(),
                settings.queue().perUser(), results, MAX_ATTEMPTS, SHUTDOWN_WAIT_MILLIS)
                .withLeaseMillis(settings.queue().lease().toMillis()), clock));
    }

    /** The transport-neutral bot: the same for Discord, the console and the tests. */
    DreamBot bot(Database db, RenderQueue queue, Channels channels, Executor work, LongSupplier seeds) {
        Settings.Discord d = settings.discord();
        return new DreamBot(queue, bakedPrompts(), channels, db, work, seeds, clock,
                new DreamBot.Settings(d.previewEvery(), d.deliveryTries(), d.deliveryRetry()));
    }

    /** Seeds people can retype: 0 .. 2^31-2. */
    static LongSupplier seeds() {
        SecureRandom random = new SecureRandom();
        return () -> random.nextInt(Integer.MAX_VALUE);
    }

    private Object buildTorch() {
        return TorchRuntime.start(settings.torch().threads(), settings.torch().interopThreads());
    }

    /**
     * {@code torch.device} against what libtorch reports, once for the process: the render worker,
     * the command line and every model share this one device. A GPU that was asked for and cannot
     * be used is one WARN line, then the CPU.
     */
    private TorchDevice buildDevice() {
        startTorch();
        Settings.Torch t = settings.torch();
        TorchDevice.Request request = new TorchDevice.Request(
                TorchDevice.Kind.valueOf(t.device().kind().name()), t.device().index(),
                TorchDevice.GpuPrecision.valueOf(t.gpuPrecision().name()));
        TorchDevice resolved = TorchDevice.resolve(request, TorchDevice.Libtorch.of(ai.djl.engine.Engine.getInstance()));
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DreamOven.class);
        resolved.fallback().ifPresentOrElse(log::warn, () -> log.info("computing on {}", resolved));
        return resolved;
    }

    /** The SQLite file, or PostgreSQL where {@code store.url} names it. */
    private Database buildDatabase() {
        Settings.Store store = settings.store();
        if (store.url().isEmpty()) {
            return own(Database.open(store.database()));
        }
        return own(Database.open(store.url(), store.user(), storePassword(store)));
    }

    /** PostgreSQL's password: {@code DREAMOVEN_STORE_PASSWORD}, else the password file, else none. */
    private String storePassword(Settings.Store store) {
        String fromEnv = environment.get("DREAMOVEN_STORE_PASSWORD");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        if (store.passwordFile().isEmpty()) {
            return null;
        }
        Path file = store.passwordFile().get();
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new InvalidInputException("cannot read store.password-file " + file + ": " + IoErrors.reason(e));
        }
    }

    /** The baked folder; a new one starts with the shipped paths, wherever the jar runs. */
    private BakedPathStore buildBakedPaths() {
        try {
            ShippedBakedPaths.seedNewFolder(settings.store().baked());
        } catch (IOException e) {
            throw new InvalidInputException("cannot create the baked folder " + settings.store().baked() + ": "
                    + IoErrors.reason(e));
        }
        return new BakedPathStore(database(), settings.store().baked());
    }

    private LoadedClip buildClip() {
        TorchDevice on = torchDevice();
        NDManager models = own(on.newManager());
        Settings.Model m = settings.model();
        // Downloads report progress on stderr, where the dream's own progress bar goes.
        NamedModels named = new NamedModels(ModelCatalog.openAi().withExtras(m.extraModels()), m.downloadUrl(), m.vocabUrl(), m.cache(),
                new Downloads(System.err));
        LoadedClip loaded = own(ClipModels.open(m.spec(), m.vocab(), named, models));
        on.configure(loaded.model());
        return loaded;
    }

    private Oven buildOven() {
        Settings.Dream d = settings.dream();
        Settings.Bake b = settings.bake();
        Oven.Defaults defaults = new Oven.Defaults(d.preset(), d.size(), d.scale(), d.palette(), b.autoPathWeight(),
                d.negativeWeight(), b.autoSplice(), b.microwaveLerp());
        BakedPathStore store = bakedPaths();
        Oven built = new Oven(clip(), store, new TextEmbeddingCache(10_000), new Planner(store, b.autoMaxDistance()),
                defaults);
        built.embedMissingPrompts();
        return built;
    }

    private RenderEngine buildRenderEngine() {
        return new OvenEngine(this::oven, settings.bake().stages(), settings.bake().candidates());
    }

    private BakedPrompts buildBakedPrompts() {
        return new StoreBakedPrompts(bakedPaths(), this::oven);
    }

    private synchronized <T extends AutoCloseable> T own(T closeable) {
        built.push(closeable);
        return closeable;
    }

    /** Closes everything built, last built first. */
    @Override
    public synchronized void close() {
        while (!built.isEmpty()) {
            try {
                built.pop().close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(DreamOven.class).warn("closing a service failed", e);
            }
        }
    }

    /** A value made on first use, once, thread-safe. */
    private static <T> Supplier<T> once(Supplier<T> make) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = make.get();
                }
                return value;
            }
        };
    }
}
