package dev.dreamoven;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.bake.BakedPathStore;
import dev.dreamoven.bake.Oven;
import dev.dreamoven.bake.Planner;
import dev.dreamoven.bake.TextEmbeddingCache;
import dev.dreamoven.clip.ClipModels;
import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.clip.TorchRuntime;
import dev.dreamoven.config.AppConfig;
import dev.dreamoven.render.BakedPrompts;
import dev.dreamoven.render.OvenEngine;
import dev.dreamoven.render.StoreBakedPrompts;
import dev.dreamoven.render.RenderEngine;
import dev.dreamoven.render.RenderQueue;
import dev.dreamoven.store.Database;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The one place where Dream Oven's parts are built and wired together. Commands ask it for the
 * services they need; each service is made once, on first use, and closed with the app.
 */
public final class App implements AutoCloseable {

    private final Map<String, String> environment;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private Path configFile;
    private AppConfig config;
    private Engine engine;
    private BakedPathStore bakedPathStore;
    private LoadedClip clip;
    private Oven oven;
    private Function<App, RenderEngine> renderEngineFactory;
    private Function<App, BakedPrompts> bakedPromptsFactory;
    private RenderEngine renderEngine;
    private BakedPrompts bakedPrompts;
    private Database database;
    private RenderQueue renderService;

    public App(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Reads settings from this file instead of {@code ./config/dreamoven.properties}. */
    public synchronized void useConfigFile(Path file) {
        ensureNotConfigured();
        this.configFile = file;
    }

    /** A command-line option that beats file and environment. */
    public synchronized void override(String key, String value) {
        ensureNotConfigured();
        overrides.put(key, value);
    }

    public synchronized AppConfig config() {
        if (config == null) {
            Path file = configFile != null ? configFile
                    : environment.containsKey("DREAMOVEN_CONFIG") ? Path.of(environment.get("DREAMOVEN_CONFIG"))
                    : Path.of("config", "dreamoven.properties");
            if (configFile != null && !java.nio.file.Files.isRegularFile(configFile)) {
                throw new AppConfig.ConfigException("configuration file " + configFile + " does not exist");
            }
            AppConfig c = AppConfig.load(file, environment);
            for (var e : overrides.entrySet()) {
                c = c.with(e.getKey(), e.getValue());
            }
            config = c;
        }
        return config;
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** libtorch, started once with the configured thread counts. */
    public synchronized Engine torch() {
        if (engine == null) {
            AppConfig c = config();
            engine = TorchRuntime.start(c.getInt("torch.threads"), c.getInt("torch.interop-threads"));
        }
        return engine;
    }

    /** Says how to make the engine the render queue runs (the real dream engine, or a stand-in). */
    public synchronized void renderEngineFactory(Function<App, RenderEngine> factory) {
        this.renderEngineFactory = factory;
    }

    /** Says how to reach the baked-path store from the chat front ends. */
    public synchronized void bakedPromptsFactory(Function<App, BakedPrompts> factory) {
        this.bakedPromptsFactory = factory;
    }

    /**
     * The render engine, made once: the factory's if one was set (tests, stand-ins), else the real
     * {@link OvenEngine} over {@link #oven()}.
     */
    public synchronized RenderEngine renderEngine() {
        if (renderEngine == null) {
            renderEngine = renderEngineFactory != null ? renderEngineFactory.apply(this)
                    : new OvenEngine(this::oven, config().getInt("bake.stages"),
                            config().getInt("bake.candidates"));
        }
        return renderEngine;
    }

    /** The baked-path store as the chat front ends see it: the factory's, else the real store. */
    public synchronized BakedPrompts bakedPrompts() {
        if (bakedPrompts == null) {
            bakedPrompts = bakedPromptsFactory != null ? bakedPromptsFactory.apply(this)
                    : new StoreBakedPrompts(bakedPathStore(), this::oven);
        }
        return bakedPrompts;
    }

    /** The SQLite database {@code store.database}, opened once. */
    public synchronized Database database() {
        if (database == null) {
            database = own(Database.open(Path.of(config().get("store.database"))));
        }
        return database;
    }

    /** The baked paths: the folder {@code store.baked} and its index in the database, opened once. */
    public synchronized BakedPathStore bakedPathStore() {
        if (bakedPathStore == null) {
            bakedPathStore = new BakedPathStore(database(), Path.of(config().get("store.baked")));
        }
        return bakedPathStore;
    }

    /** The configured CLIP model ({@code model.checkpoint}, {@code model.vocab}), loaded once. */
    public synchronized LoadedClip clip() {
        if (clip == null) {
            torch();
            NDManager models = own(NDManager.newBaseManager());
            clip = own(ClipModels.open(config().get("model.checkpoint"), config().find("model.vocab").map(Path::of),
                    models));
        }
        return clip;
    }

    /** Planner, dreamer and pixel art over the configured model and the baked paths, made once. */
    public synchronized Oven oven() {
        if (oven == null) {
            AppConfig c = config();
            Oven.Defaults defaults = new Oven.Defaults(c.get("dream.preset"), c.getInt("dream.size"),
                    c.getInt("dream.scale"), c.get("dream.palette"), c.getDouble("bake.auto-path-weight"),
                    c.getDouble("dream.negative-weight"), c.getBoolean("bake.auto-splice"), c.getDouble("bake.microwave-lerp"));
            BakedPathStore store = bakedPathStore();
            oven = new Oven(clip(), store, new TextEmbeddingCache(10_000),
                    new Planner(store, c.getDouble("bake.auto-max-distance")), defaults);
            oven.embedMissingPrompts();
        }
        return oven;
    }

    /** The durable render queue over {@link #database()} and {@link #renderEngine()}; not started. */
    public synchronized RenderQueue renderService() {
        if (renderService == null) {
            renderService = own(new RenderQueue(database(), renderEngine(), RenderQueue.Settings.from(config()),
                    java.time.Clock.systemUTC()));
        }
        return renderService;
    }

    /** Registers a service to be closed (last made, first closed) when the app closes. */
    public synchronized <T extends AutoCloseable> T own(T closeable) {
        closeables.push(closeable);
        return closeable;
    }

    @Override
    public synchronized void close() {
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(App.class).warn("closing a service failed", e);
            }
        }
    }

    private void ensureNotConfigured() {
        if (config != null) {
            throw new IllegalStateException("configuration was already read");
        }
    }
}
