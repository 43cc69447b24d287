package dev.dreamoven.discord;

import dev.dreamoven.bot.Channels;
import dev.dreamoven.bot.DreamBot;
import dev.dreamoven.bot.Shards;
import dev.dreamoven.bot.SlashCommand;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.render.RenderQueue;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.sharding.ShardManager;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running Discord bot: the render queue, the bot over it, and JDA's shards (one queue for all of them).
 *
 * <p>{@link #start} starts the queue first (its recovery and rendering do not wait for Discord), registers the
 * listener before the first shard connects (no interaction between READY and the listener is lost), then logs in
 * with a {@link DefaultShardManagerBuilder} pointed at {@code discord.api-url} and {@code discord.gateway-url}.
 * JDA's continuations run on the service's own pool, never on {@code ForkJoinPool.commonPool}; JDA's shutdown
 * hook is off, so {@link #close} is the one graceful stop.
 */
public final class DiscordService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiscordService.class);
    private static final int WORK_THREADS = 4;
    /** Listeners run here, not on a shard's gateway thread: a slow acknowledgement does not hold up the next. */
    private static final int EVENT_THREADS = 4;
    private static final String REJECTED = "Discord rejected the bot token (check DISCORD_TOKEN or discord.token-file)";

    /**
     * What the bot needs from the configuration.
     *
     * @param guildIds guilds to register /dream, /queue and /cancel in; empty = globally
     * @param shards the total of shards: 0 = as many as Discord recommends (GET /gateway/bot)
     * @param shardIds the shards of {@code shards} this process connects (other processes connect the rest);
     *     empty = all of them
     * @param apiUrl the REST base URL ({@code https://discord.com/api/v10/}); http is accepted
     * @param gatewayUrl the gateway ({@code wss://gateway.discord.gg/}); ws is accepted
     * @throws IllegalArgumentException when shard ids are given without a fixed total, or one is not below it
     */
    public record Settings(List<String> guildIds, Access access, int shards, List<Integer> shardIds, URI apiUrl,
            URI gatewayUrl) {
        public Settings {
            guildIds = List.copyOf(guildIds);
            shardIds = List.copyOf(shardIds);
            if (!shardIds.isEmpty() && shards < 1) {
                throw new IllegalArgumentException("shard ids " + shardIds + " need a fixed shard total above 0");
            }
            for (int id : shardIds) {
                if (id < 0 || id >= shards) {
                    throw new IllegalArgumentException("shard id " + id + " is not one of the " + shards + " shards");
                }
            }
        }

        /** The shards this process connects, once the total is known. */
        List<Integer> ownShards(int total) {
            return shardIds.isEmpty() ? java.util.stream.IntStream.range(0, total).boxed().toList() : shardIds;
        }

        /** Whether this process connects the shard of {@code guildId}. */
        boolean owns(String guildId, int total) {
            return shardIds.isEmpty() || shardIds.contains(Shards.shardOf(guildId, total));
        }
    }

    private final ShardManager shards;
    private final RenderQueue queue;
    private final ExecutorService work;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DiscordService(ShardManager shards, RenderQueue queue, ExecutorService work) {
        this.shards = shards;
        this.queue = queue;
        this.work = work;
    }

    /** {@link #start(String, Settings, RenderQueue, BiFunction, UnaryOperator)} with JDA's builder as configured. */
    public static DiscordService start(String token, Settings settings, RenderQueue queue,
            BiFunction<Channels, Executor, DreamBot> bots) throws InterruptedException {
        return start(token, settings, queue, bots, UnaryOperator.identity());
    }

    /**
     * Starts the render queue with the bot that {@code bots} makes for this connection's channels, logs in to
     * Discord, waits until every shard is ready and registers the commands.
     *
     * @param bots the bot over the queue, given the channels and the worker pool it answers on
     * @param customize a last look at JDA's builder before it logs in (tests add listeners or pools here; the
     *     wiring above is never copied)
     * @throws InvalidInputException with one line when Discord rejects the token
     * @throws LoginException with one line when Discord cannot be reached; the queue is closed again, its jobs
     *     kept for the next start
     */
    public static DiscordService start(String token, Settings settings, RenderQueue queue,
            BiFunction<Channels, Executor, DreamBot> bots, UnaryOperator<DefaultShardManagerBuilder> customize)
            throws InterruptedException {
        return start(token, settings, queue, bots, queue::start, customize);
    }

    /**
     * {@link #start(String, Settings, RenderQueue, BiFunction, UnaryOperator)} that starts the queue's part of
     * this process with {@code startQueue} (a bot beside workers on other hosts, say) instead of as the
     * database's one owner.
     */
    public static DiscordService start(String token, Settings settings, RenderQueue queue,
            BiFunction<Channels, Executor, DreamBot> bots, Consumer<DreamBot> startQueue,
            UnaryOperator<DefaultShardManagerBuilder> customize) throws InterruptedException {
        ExecutorService work = Executors.newFixedThreadPool(WORK_THREADS, named("discord-work"));
        ExecutorService events = Executors.newFixedThreadPool(EVENT_THREADS, named("discord-events"));
        CompletableFuture<ShardManager> connection = new CompletableFuture<>();
        DreamBot bot = bots.apply(new JdaChannels(connection, work), work);
        startQueue.accept(bot);
        ShardManager shards = null;
        try {
            shards = customize.apply(builder(token, settings, new JdaListener(bot, settings.access(), work), work,
                    events)).build();
            awaitReady(shards, settings);
        } catch (InvalidTokenException e) {
            stopAfterFailedLogin(queue, shards, work, connection, e);
            throw new InvalidInputException(REJECTED);
        } catch (ErrorResponseException e) {
            stopAfterFailedLogin(queue, shards, work, connection, e);
            if (e.getResponse() != null && e.getResponse().code == 401) {
                throw new InvalidInputException(REJECTED);
            }
            throw new LoginException("could not log in to Discord: " + BotToken.scrub(oneLine(e), token));
        } catch (RuntimeException e) {
            stopAfterFailedLogin(queue, shards, work, connection, e);
            throw new LoginException("could not log in to Discord: " + BotToken.scrub(oneLine(e), token));
        } catch (InterruptedException e) {
            stopAfterFailedLogin(queue, shards, work, connection, e);
            throw e;
        }
        connection.complete(shards);
        register(shards, settings, bot.definitions());
        LOG.info("Dream Oven is online as {} on shard(s) {} of {}", shards.getShardCache().stream().findFirst()
                .map(j -> j.getSelfUser().getName()).orElse("?"), settings.ownShards(shards.getShardsTotal()),
                shards.getShardsTotal());
        return new DiscordService(shards, queue, work);
    }

    private static DefaultShardManagerBuilder builder(String token, Settings settings, JdaListener listener,
            ExecutorService work, ExecutorService events) {
        String gateway = settings.gatewayUrl().toString();
        DefaultShardManagerBuilder builder = DefaultShardManagerBuilder.createLight(token,
                GatewayIntent.GUILD_MESSAGE_REACTIONS)
                .setRestConfig(new RestConfig().setBaseUrl(settings.apiUrl().toString()))
                .setSessionController(new GatewaySessionController(gateway))
                // Discord's own gateway speaks zlib-stream; another (a fake, a proxy) is asked for plain JSON
                .setCompression(isDiscords(settings.gatewayUrl()) ? Compression.ZLIB : Compression.NONE)
                .setShardsTotal(settings.shards() > 0 ? settings.shards() : -1)
                .addEventListeners(listener)
                .setEventPool(events, true)
                .setCallbackPool(work, false)
                .setEnableShutdownHook(false);
        if (!settings.shardIds().isEmpty()) {
            // several bot processes share the bot's shards: this one connects only its own (after the total,
            // which JDA checks the ids against)
            builder.setShards(settings.shardIds());
        }
        return builder;
    }

    /** Every shard of this process, once JDA has built it, until it is ready. */
    private static void awaitReady(ShardManager shards, Settings settings) throws InterruptedException {
        for (int id : settings.ownShards(shards.getShardsTotal())) {
            JDA shard;
            while ((shard = shards.getShardById(id)) == null) {
                Thread.sleep(20);
            }
            shard.awaitReady();
        }
    }

    private static void stopAfterFailedLogin(RenderQueue queue, ShardManager shards, ExecutorService work,
            CompletableFuture<ShardManager> connection, Exception cause) {
        connection.completeExceptionally(new IllegalStateException("not logged in to Discord"));
        queue.close();
        if (shards != null) {
            shards.getShards().forEach(JDA::shutdownNow);
            shards.shutdown();
        }
        work.shutdownNow();
        LOG.debug("login failed", cause);
    }

    /**
     * Everyone's commands in {@code discord.guilds} (or globally), admin commands only in the admin guild, with
     * default permissions that match who may use them.
     */
    private static void register(ShardManager shards, Settings settings, List<SlashCommand.Definition> definitions) {
        Access access = settings.access();
        DefaultMemberPermissions adminDefault = access.adminRoles().isEmpty()
                ? DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER) : DefaultMemberPermissions.ENABLED;
        List<SlashCommandData> everyone = SlashCommands.of(
                definitions.stream().filter(d -> !d.adminOnly()).toList(), adminDefault);
        List<SlashCommandData> admin = SlashCommands.of(
                definitions.stream().filter(SlashCommand.Definition::adminOnly).toList(), adminDefault);
        Set<String> guilds = new LinkedHashSet<>(settings.guildIds());
        if (access.hasAdminGuild()) {
            guilds.add(access.adminGuild());
        } else if (!admin.isEmpty()) {
            LOG.warn("discord.admin-guild is not set: /bake is not offered on Discord (bake on the command line)");
        }
        int total = shards.getShardsTotal();
        if (settings.guildIds().isEmpty() && settings.owns(null, total)) {
            // one process registers the global commands: the one with shard 0, which every deployment has
            JDA any = shards.getShardCache().stream().findFirst().orElseThrow();
            any.updateCommands().addCommands(everyone).queue(
                    ok -> LOG.info("registered {} global slash commands", ok.size()),
                    RestFailures.logged("registering the global slash commands"));
        }
        for (String id : guilds) {
            if (!settings.owns(id, total)) {
                LOG.info("guild {} is on shard {}: its commands are registered by the process with that shard", id,
                        Shards.shardOf(id, total));
                continue;
            }
            Guild g = shards.getGuildById(id);
            if (g == null) {
                LOG.warn("the bot is not in guild {}; no commands registered there", id);
                continue;
            }
            List<SlashCommandData> here = new ArrayList<>();
            if (settings.guildIds().contains(id)) {
                here.addAll(everyone);
            }
            if (id.equals(access.adminGuild())) {
                here.addAll(admin);
            }
            g.updateCommands().addCommands(here).queue(
                    ok -> LOG.info("registered {} slash commands in {}", ok.size(), g.getName()),
                    RestFailures.logged("registering the slash commands in guild " + id));
        }
    }

    /** Discord could not be reached (network, outage); the message is one line for the operator. */
    public static final class LoginException extends RuntimeException {
        public LoginException(String message) {
            super(message);
        }
    }

    /**
     * The one graceful stop: the queue first (the job in the oven goes back to it, its last updates are
     * queued), then JDA, which still sends what is queued, then the pool its callbacks ran on.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        queue.close();
        shards.shutdown();
        try {
            for (JDA shard : shards.getShards()) {
                if (!shard.awaitShutdown(10, TimeUnit.SECONDS)) {
                    shard.shutdownNow();
                }
            }
            work.shutdown();
            work.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Discord's own gateway: {@code gateway.discord.gg}. */
    private static boolean isDiscords(URI gateway) {
        String host = gateway.getHost() == null ? "" : gateway.getHost().toLowerCase(java.util.Locale.ROOT);
        return host.equals("discord.gg") || host.endsWith(".discord.gg");
    }

    private static String oneLine(Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String m = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return m.lines().findFirst().orElse(m);
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A session controller whose gateway is the configured one, also for a sharded login. */
    private static final class GatewaySessionController extends ConcurrentSessionController {
        private final String gateway;

        GatewaySessionController(String gateway) {
            this.gateway = gateway;
        }

        @Override
        public String getGateway() {
            return gateway;
        }

        @Override
        public ShardedGateway getShardedGateway(JDA api) {
            ShardedGateway recommended = super.getShardedGateway(api);
            return new ShardedGateway(gateway, recommended.getShardTotal(), recommended.getConcurrency());
        }
    }
}
