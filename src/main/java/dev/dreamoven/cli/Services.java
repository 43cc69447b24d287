package dev.dreamoven.cli;

import dev.dreamoven.bake.BakedPathStore;
import dev.dreamoven.bake.Oven;
import dev.dreamoven.bot.Channels;
import dev.dreamoven.bot.DreamBot;
import dev.dreamoven.clip.TorchDevice;
import dev.dreamoven.clip.NamedModels;
import dev.dreamoven.render.RenderEngine;
import dev.dreamoven.render.RenderQueue;
import dev.dreamoven.settings.Settings;
import dev.dreamoven.store.Database;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What the commands use, as the composition root ({@code app.DreamOven}) provides it: each service
 * is built once, on first use, and closed with the root.
 */
public interface Services {

    Settings settings();

    /** Starts libtorch with the configured threads (once). */
    void startTorch();

    /**
     * The device this process computes on ({@code torch.device} resolved against libtorch once;
     * starts libtorch). Models and dream arrays are made there.
     */
    TorchDevice torchDevice();
    /** Where named CLIP models are downloaded from and cached ({@code model.*}), progress on stderr. */
    NamedModels namedModels();

    /** The configured CLIP model, the baked paths and the dreamer behind them. */
    Oven oven();

    BakedPathStore bakedPaths();

    /** The real render engine (dreams and bakes through {@link #oven()}, made on first use). */
    RenderEngine renderEngine();

    /**
     * The engine of a bot that renders nothing ({@code serve --role bot}): it checks prompts against
     * the configured model's context with the tokenizer alone where that is known without the model
     * (OpenAI's models), else with the model, loaded at the first check.
     */
    RenderEngine botEngine();

    /** The bot token: {@code $DISCORD_TOKEN}, else the file {@code discord.token-file}. */
    String discordToken();

    /**
     * Starts the render queue over the configured database (its recovery does not wait for Discord), logs in to
     * Discord and runs the bot until closed.
     *
     * @param role what this process does with the queue: all (alone on SQLite; a worker and a bot on
     *     PostgreSQL), or only the bot beside workers elsewhere
     * @throws LoginFailed when Discord cannot be reached (the queue is stopped again; no job is lost)
     */
    AutoCloseable serveDiscord(String token, RenderEngine engine, RenderQueue.Role role) throws InterruptedException;

    /** A render worker beside others on the configured database, without Discord; runs until closed. */
    AutoCloseable serveWorker(RenderEngine engine);

    /** Discord could not be reached (network, outage); the message is one line for the operator. */
    final class LoginFailed extends RuntimeException {
        public LoginFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The bot over a render queue on {@code db} for another transport (the console); not started.
     *
     * @param results where finished pictures are kept
     */
    Chat chat(Database db, Path results, RenderEngine engine, Channels transport, Executor work, LongSupplier seeds);

    /** A bot and the queue it serves: {@code queue.start(bot)} runs it, closing the queue stops it. */
    record Chat(DreamBot bot, RenderQueue queue) {
    }
}
