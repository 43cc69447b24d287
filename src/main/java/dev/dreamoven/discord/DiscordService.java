package dev.dreamoven.discord;

import dev.dreamoven.bot.Channels;
import dev.dreamoven.bot.DreamBot;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.render.RenderQueue;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running Discord bot: JDA, the slash commands, the bot handlers and the render queue together. */
public final class DiscordService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiscordService.class);

    /** What the bot needs from the configuration. */
    public record Settings(List<String> guildIds, String adminRole, URI apiUrl, URI gatewayUrl) {
    }

    private final JDA jda;
    private final RenderQueue queue;
    private final ExecutorService work;

    private DiscordService(JDA jda, RenderQueue queue, ExecutorService work) {
        this.jda = jda;
        this.queue = queue;
        this.work = work;
    }

    /**
     * Logs in, registers the commands, starts the render queue with the bot that {@code bots} makes
     * for this connection's channels.
     *
     * @param bots the bot over the queue, given the channels and the worker pool it answers on
     * @throws InvalidInputException with one line when Discord rejects the token
     */
    public static DiscordService start(String token, Settings settings, RenderQueue queue,
            BiFunction<Channels, Executor, DreamBot> bots) throws InterruptedException {
        JDA jda;
        try {
            String gateway = settings.gatewayUrl().toString();
            jda = JDABuilder.createLight(token, GatewayIntent.GUILD_MESSAGE_REACTIONS)
                    .setRestConfig(new RestConfig().setBaseUrl(settings.apiUrl().toString()))
                    .setSessionController(new ConcurrentSessionController() {
                        @Override
                        public String getGateway() {
                            return gateway;
                        }
                    })
                    .setCompression(gateway.startsWith("wss://gateway.discord.gg") ? Compression.ZLIB : Compression.NONE)
                    .build();
            jda.awaitReady();
        } catch (InvalidTokenException e) {
            throw new InvalidInputException("Discord rejected the bot token (check DISCORD_TOKEN or discord.token-file)");
        } catch (IllegalStateException | net.dv8tion.jda.api.exceptions.ErrorResponseException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new LoginException("could not log in to Discord: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        }
        ExecutorService work = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bot-work");
            t.setDaemon(true);
            return t;
        });
        DreamBot bot = bots.apply(new JdaChannels(jda), work);
        jda.addEventListener(new JdaListener(bot, settings.adminRole(), work));
        if (settings.guildIds().isEmpty()) {
            jda.updateCommands().addCommands(SlashCommands.of(bot.definitions())).queue(
                    ok -> LOG.info("registered {} global slash commands", ok.size()),
                    err -> LOG.error("registering slash commands failed: {}", err.toString()));
        } else {
            for (String id : settings.guildIds()) {
                Guild g = jda.getGuildById(id);
                if (g == null) {
                    LOG.warn("the bot is not in guild {}; no commands registered there", id);
                    continue;
                }
                g.updateCommands().addCommands(SlashCommands.of(bot.definitions())).queue(
                        ok -> LOG.info("registered {} slash commands in {}", ok.size(), g.getName()),
                        err -> LOG.error("registering slash commands in {} failed: {}", id, err.toString()));
            }
        }
        queue.start(bot);
        LOG.info("Dream Oven is online as {}", jda.getSelfUser().getName());
        return new DiscordService(jda, queue, work);
    }

    /** Discord could not be reached (network, outage); the message is one line for the operator. */
    public static final class LoginException extends RuntimeException {
        public LoginException(String message) {
            super(message);
        }
    }

    /** Stops the queue (the running job goes back to it), then JDA. */
    @Override
    public void close() {
        queue.close();
        work.shutdown();
        jda.shutdown();
        try {
            if (!jda.awaitShutdown(10, TimeUnit.SECONDS)) {
                jda.shutdownNow();
            }
            work.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
