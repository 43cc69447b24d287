package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;

/**
 * A fake Discord on 127.0.0.1 for tests with the real JDA client: REST over plain http and a gateway over
 * plain ws, a small model of guilds, channels, members and roles, and the messages and interactions the bot
 * produced. It records every request and frame, can be scripted to delay or fail routes, and injects slash
 * commands and reactions. See {@code package-info.java} for a walk-through.
 */
public final class FakeDiscord implements AutoCloseable {

    /** The bot token the fake accepts unless {@link Builder#token} says otherwise. */
    public static final String DEFAULT_TOKEN = "fake.bot.token";

    static final long INTENT_GUILD_MESSAGE_REACTIONS = 1L << 10;

    private static final long VIEW_CHANNEL = Permission.VIEW_CHANNEL.getRawValue();
    private static final long SEND_MESSAGES = Permission.MESSAGE_SEND.getRawValue();
    private static final long ATTACH_FILES = Permission.MESSAGE_ATTACH_FILES.getRawValue();
    private static final long READ_HISTORY = Permission.MESSAGE_HISTORY.getRawValue();
    private static final long ADD_REACTIONS = Permission.MESSAGE_ADD_REACTION.getRawValue();
    private static final long MANAGE_MESSAGES = Permission.MESSAGE_MANAGE.getRawValue();

    private final String token;
    private final FakeUser botUser;
    private final long applicationId;
    private final int shardCount;
    private final int maxConcurrency;
    private final Duration ackDeadline;
    private final Duration heartbeatInterval;
    private final ConcurrentSkipListMap<Long, FakeGuild> guilds = new ConcurrentSkipListMap<>();
    private final ConcurrentMap<Long, FakeMessage> messages = new ConcurrentSkipListMap<>();
    private final ConcurrentMap<Long, FakeInteraction> interactions = new ConcurrentSkipListMap<>();
    private final ConcurrentMap<String, FakeInteraction> interactionsByToken = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, JsonArray> commands = new ConcurrentHashMap<>(); // 0 = global
    /**
     * Channel messages created with {@code enforce_nonce}, by channel, author and nonce: Discord answers a second
     * create with the same nonce from the same author within a few minutes with the first message and creates
     * nothing (the cure for a post whose answer was lost). Guarded by itself, so two racing creates make one.
     */
    private final Map<NonceKey, FakeMessage> nonces = new java.util.HashMap<>();
    /** How long Discord remembers a nonce: "a few minutes". */
    static final Duration NONCE_WINDOW = Duration.ofMinutes(5);

    private record NonceKey(long channelId, long authorId, String nonce) {
    }
    private final FakeRest rest;
    private final FakeGateway gateway;

    private FakeDiscord(Builder b) {
        this.token = b.token;
        this.botUser = FakeUser.bot(b.botUserId, b.botName);
        this.applicationId = b.applicationId;
        this.shardCount = b.shardCount;
        this.maxConcurrency = b.maxConcurrency;
        this.ackDeadline = b.ackDeadline;
        this.heartbeatInterval = b.heartbeatInterval;
        for (FakeGuild g : b.guilds) {
            guilds.put(g.id(), g.withMember(new FakeMember(botUser, g.botRoleIds())));
        }
        try {
            this.rest = new FakeRest(token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.gateway = new FakeGateway(this);
        registerRoutes();
        gateway.startAndWait();
    }

    /** A builder; {@link Builder#start()} binds both servers. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ where JDA connects

    /** The base URL for {@code RestConfig#setBaseUrl}: {@code http://127.0.0.1:PORT/api/v10/}. */
    public String apiBaseUrl() {
        return rest.apiBaseUrl();
    }

    /** {@code http://127.0.0.1:PORT/}: the REST server's root (attachment URLs live below it). */
    public String restBaseUrl() {
        return rest.baseUrl();
    }

    /** The gateway URL, {@code ws://127.0.0.1:PORT/}; also what GET /gateway/bot and READY's resume URL say. */
    public String gatewayUrl() {
        return gateway.url();
    }

    /** A session controller whose {@code getGateway()} is this fake (one bucket per shard up to max_concurrency). */
    public ConcurrentSessionController sessionController() {
        String url = gatewayUrl();
        return new ConcurrentSessionController() {
            @Override
            public String getGateway() {
                return url;
            }
        };
    }

    public String token() {
        return token;
    }

    public FakeUser botUser() {
        return botUser;
    }

    public long botUserId() {
        return botUser.id();
    }

    public long applicationId() {
        return applicationId;
    }

    /** The shard count GET /gateway/bot recommends. */
    public int shardCount() {
        return shardCount;
    }

    long heartbeatIntervalMillis() {
        return heartbeatInterval.toMillis();
    }

    // ------------------------------------------------------------------ model

    /** The guilds, by id, each with the bot's own member. */
    public List<FakeGuild> guilds() {
        return List.copyOf(guilds.values());
    }

    /** A guild by id; an {@link IllegalArgumentException} when unknown. */
    public FakeGuild guild(long guildId) {
        FakeGuild g = guilds.get(guildId);
        if (g == null) {
            throw new IllegalArgumentException("unknown guild " + guildId);
        }
        return g;
    }

    /**
     * Replaces a channel (e.g. other permission overwrites) and, when the guild's shard is connected, tells the
     * bot with CHANNEL_UPDATE.
     */
    public void updateChannel(FakeChannel channel) {
        guilds.compute(channel.guildId(), (id, g) -> Objects.requireNonNull(g, "guild").withChannel(channel));
        sessionIfConnected(channel.guildId()).ifPresent(s -> gateway.dispatch(s, "CHANNEL_UPDATE", channel.toJson()));
    }

    /** The bot's permissions in a channel as the fake computes them (and enforces them on channel routes). */
    public long botPermissions(long channelId) {
        FakeGuild g = guildOfChannel(channelId).orElseThrow(() -> new IllegalArgumentException("channel " + channelId));
        return g.channelPermissions(botUser.id(), channelId);
    }

    // ------------------------------------------------------------------ recordings

    /** Every REST request, in arrival order, with the status it got. */
    public Recorder<RecordedRequest> requests() {
        return rest.requests();
    }

    /** Waits for a request with {@code method} on a path matching {@code pathPattern} ({@code *} = one segment). */
    public RecordedRequest awaitRequest(String method, String pathPattern, Duration timeout) {
        return requests().await(r -> r.is(method, pathPattern), timeout);
    }

    /** Waits for a request matching the predicate. */
    public RecordedRequest awaitRequest(Predicate<? super RecordedRequest> match, Duration timeout) {
        return requests().await(match, timeout);
    }

    /** Every gateway frame in both directions (IDENTIFY and RESUME with the token redacted). */
    public Recorder<RecordedFrame> frames() {
        return gateway.frames();
    }

    /** Waits until {@code shards} READY dispatches have been sent, i.e. that many shards identified. */
    public void awaitReadySent(int shards, Duration timeout) {
        frames().awaitCount(f -> f.isDispatch("READY"), shards, timeout);
    }

    // ------------------------------------------------------------------ scripting

    /** A rule for requests with {@code method} on paths matching {@code pathPattern}; see {@link RouteRule}. */
    public RouteRule when(String method, String pathPattern) {
        return rest.addRule(method + " " + pathPattern, r -> r.is(method, pathPattern));
    }

    /** A rule for the requests matching the predicate (which sees the request without its status). */
    public RouteRule when(Predicate<RecordedRequest> match) {
        return rest.addRule("custom", match);
    }

    /** Removes every rule. */
    public void clearRules() {
        rest.clearRules();
    }

    // ------------------------------------------------------------------ state the bot produced

    /** Every message, by id (deleted and ephemeral ones included). */
    public List<FakeMessage> messages() {
        return List.copyOf(messages.values());
    }

    /** The messages of a channel, oldest first (deleted and ephemeral ones included). */
    public List<FakeMessage> messagesIn(long channelId) {
        return messages.values().stream().filter(m -> m.channelId() == channelId).toList();
    }

    /** A message by id, or null. */
    public FakeMessage message(long messageId) {
        return messages.get(messageId);
    }

    /** Interactions the fake dispatched, by id. */
    public List<FakeInteraction> interactions() {
        return List.copyOf(interactions.values());
    }

    /** An interaction by id, or null. */
    public FakeInteraction interaction(long interactionId) {
        return interactions.get(interactionId);
    }

    /** The commands registered with PUT/POST applications/{app}/commands (guild 0) or the guild form. */
    public JsonArray registeredCommands(long guildIdOrZero) {
        JsonArray array = commands.get(guildIdOrZero);
        return array == null ? new JsonArray() : array.deepCopy();
    }

    /** Creates a message in a channel written by someone else (a member's message the bot may read or react to). */
    public FakeMessage postAs(long userId, long channelId, String content) {
        FakeGuild g = guildOfChannel(channelId).orElseThrow(() -> new IllegalArgumentException("channel " + channelId));
        FakeMessage m = new FakeMessage(Snowflakes.next(), channelId, g.id(), userId, 0, 0, 0);
        JsonObject payload = new JsonObject();
        payload.addProperty("content", content);
        m.apply(payload, List.of(), false);
        messages.put(m.id(), m);
        return m;
    }

    // ------------------------------------------------------------------ events

    /**
     * Sends INTERACTION_CREATE for a slash command (type 2) to the shard of its guild and returns the
     * interaction, whose acknowledgement and original response the fake then tracks.
     */
    public FakeInteraction slashCommand(SlashCommand command) {
        return interaction(command, 2, null);
    }

    /**
     * Sends INTERACTION_CREATE for autocomplete (type 4) on the named option, which must be among the command's
     * options; the bot answers with callback type 8.
     */
    public FakeInteraction autocomplete(SlashCommand command, String focusedOption) {
        return interaction(command, 4, focusedOption);
    }

    private FakeInteraction interaction(SlashCommand command, int type, String focused) {
        FakeGuild g = guild(command.guildId);
        FakeChannel channel = g.channel(command.channelId)
                .orElseThrow(() -> new IllegalArgumentException("no channel " + command.channelId + " in " + g.id()));
        FakeMember member = g.member(command.userId)
                .orElseThrow(() -> new IllegalArgumentException("no member " + command.userId + " in " + g.id()));
        long id = command.interactionId != 0 ? command.interactionId : Snowflakes.next();
        String interactionToken = "aW50ZXJhY3Rpb246" + id + ":" + UUID.randomUUID();
        long commandId = command.commandId != 0 ? command.commandId : registeredCommandId(g.id(), command.name);

        JsonObject d = new JsonObject();
        d.addProperty("type", type);
        d.addProperty("version", 1);
        d.addProperty("id", Long.toString(id));
        d.addProperty("token", interactionToken);
        d.addProperty("application_id", Long.toString(applicationId));
        d.addProperty("guild_id", Long.toString(g.id()));
        JsonObject guildJson = new JsonObject();
        guildJson.addProperty("id", Long.toString(g.id()));
        guildJson.addProperty("locale", "en-US");
        guildJson.add("features", new JsonArray());
        d.add("guild", guildJson);
        d.addProperty("channel_id", Long.toString(channel.id()));
        JsonObject channelJson = channel.toJson();
        channelJson.addProperty("permissions", Long.toString(g.channelPermissions(member.user().id(), channel.id())));
        d.add("channel", channelJson);
        JsonObject memberJson = member.toJson(true);
        memberJson.addProperty("permissions", Long.toString(g.channelPermissions(member.user().id(), channel.id())));
        d.add("member", memberJson);
        JsonObject data = new JsonObject();
        data.addProperty("id", Long.toString(commandId));
        data.addProperty("name", command.name);
        data.addProperty("type", 1);
        JsonArray options = command.options.deepCopy();
        if (focused != null) {
            markFocused(options, focused);
        }
        data.add("options", options);
        if (commands.containsKey(g.id()) && hasCommand(commands.get(g.id()), command.name)) {
            data.addProperty("guild_id", Long.toString(g.id()));
        }
        d.add("data", data);
        d.addProperty("context", 0);
        JsonObject owners = new JsonObject();
        owners.addProperty("0", Long.toString(g.id()));
        d.add("authorizing_integration_owners", owners);
        d.addProperty("locale", "en-US");
        d.addProperty("guild_locale", "en-US");
        d.addProperty("app_permissions", Long.toString(g.channelPermissions(botUser.id(), channel.id())));
        d.add("entitlements", new JsonArray());
        d.addProperty("attachment_size_limit", 10 * 1024 * 1024);

        FakeInteraction interaction = new FakeInteraction(id, interactionToken, g.id(), channel.id(),
                member.user().id(), command.name, Instant.now(), d);
        FakeGateway.Session session = gateway.sessionForGuild(g.id());
        interactions.put(id, interaction);
        interactionsByToken.put(interactionToken, interaction);
        gateway.dispatch(session, "INTERACTION_CREATE", d);
        return interaction;
    }

    private static void markFocused(JsonArray options, String focused) {
        for (JsonElement e : options) {
            JsonObject o = e.getAsJsonObject();
            if (o.has("options")) {
                markFocused(o.getAsJsonArray("options"), focused);
            } else if (o.get("name").getAsString().equals(focused)) {
                o.addProperty("focused", true);
            }
        }
    }

    /**
     * A member reacts to a message: the fake's state changes and MESSAGE_REACTION_ADD goes to the guild's shard
     * (which must have asked for the GUILD_MESSAGE_REACTIONS intent).
     */
    public void addReaction(long channelId, long messageId, long userId, String emoji) {
        FakeMessage m = messages.get(messageId);
        if (m != null) {
            m.addReaction(emoji, userId);
        }
        dispatchReaction("MESSAGE_REACTION_ADD", channelId, messageId, userId, emoji, true);
    }

    /** A member removes a reaction: MESSAGE_REACTION_REMOVE to the guild's shard. */
    public void removeReaction(long channelId, long messageId, long userId, String emoji) {
        FakeMessage m = messages.get(messageId);
        if (m != null) {
            m.removeReaction(emoji, userId);
        }
        dispatchReaction("MESSAGE_REACTION_REMOVE", channelId, messageId, userId, emoji, true);
    }

    /** Sends any dispatch to the shard of a guild. */
    public void dispatch(long guildId, String type, JsonObject data) {
        gateway.dispatch(gateway.sessionForGuild(guildId), type, data);
    }

    /** Closes a shard's connection with a close code (4000: JDA resumes; 4004 would end it). */
    public void disconnect(int shard, int closeCode) {
        gateway.disconnect(shard, closeCode, "closed by the fake");
    }

    private void dispatchReaction(String type, long channelId, long messageId, long userId, String emoji,
            boolean injected) {
        FakeGuild g = guildOfChannel(channelId).orElseThrow(() -> new IllegalArgumentException("channel " + channelId));
        FakeGateway.Session session;
        if (injected) {
            session = gateway.sessionForGuild(g.id());
            if (!session.wants(INTENT_GUILD_MESSAGE_REACTIONS)) {
                throw new IllegalStateException("shard " + session.shardId + " did not ask for the "
                        + "GUILD_MESSAGE_REACTIONS intent, so Discord would not send " + type);
            }
        } else {
            session = sessionIfConnected(g.id()).filter(s -> s.wants(INTENT_GUILD_MESSAGE_REACTIONS)).orElse(null);
            if (session == null) {
                return;
            }
        }
        JsonObject d = new JsonObject();
        d.addProperty("user_id", Long.toString(userId));
        d.addProperty("channel_id", Long.toString(channelId));
        d.addProperty("message_id", Long.toString(messageId));
        d.addProperty("guild_id", Long.toString(g.id()));
        d.add("emoji", FakeMessage.emojiJson(emoji));
        d.addProperty("burst", false);
        d.addProperty("type", 0);
        if (type.equals("MESSAGE_REACTION_ADD")) {
            JsonObject member = memberJson(g.id(), userId);
            if (member != null) {
                d.add("member", member);
            }
            FakeMessage m = messages.get(messageId);
            if (m != null) {
                d.addProperty("message_author_id", Long.toString(m.authorId()));
            }
            d.add("burst_colors", new JsonArray());
        }
        gateway.dispatch(session, type, d);
    }

    private Optional<FakeGateway.Session> sessionIfConnected(long guildId) {
        try {
            return Optional.of(gateway.sessionForGuild(guildId));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ JSON helpers used by the model

    JsonObject userJson(long userId) {
        if (userId == botUser.id()) {
            return botUser.toJson();
        }
        for (FakeGuild g : guilds.values()) {
            Optional<FakeMember> m = g.member(userId);
            if (m.isPresent()) {
                return m.get().user().toJson();
            }
        }
        return FakeUser.human(userId, "user" + userId).toJson();
    }

    JsonObject memberJson(long guildId, long userId) {
        FakeGuild g = guilds.get(guildId);
        return g == null ? null : g.member(userId).map(m -> m.toJson(true)).orElse(null);
    }

    JsonObject guildCreate(FakeGuild guild) {
        return guilds.getOrDefault(guild.id(), guild).toGuildCreate();
    }

    private Optional<FakeGuild> guildOfChannel(long channelId) {
        return guilds.values().stream().filter(g -> g.channel(channelId).isPresent()).findFirst();
    }

    // ------------------------------------------------------------------ REST routes

    private void registerRoutes() {
        rest.route("GET", "/users/@me", true, c -> FakeRest.Reply.ok(selfUserJson()));
        rest.route("GET", "/gateway", false, c -> {
            JsonObject json = new JsonObject();
            json.addProperty("url", gatewayUrl());
            return FakeRest.Reply.ok(json);
        });
        rest.route("GET", "/gateway/bot", true, c -> FakeRest.Reply.ok(gatewayBot()));

        rest.route("PUT", "/applications/{app}/commands", true, c -> putCommands(c, 0));
        rest.route("GET", "/applications/{app}/commands", true, c -> FakeRest.Reply.ok(registeredCommands(0)));
        rest.route("POST", "/applications/{app}/commands", true, c -> postCommand(c, 0));
        rest.route("PUT", "/applications/{app}/guilds/{guild}/commands", true, c -> putCommands(c, c.id("guild")));
        rest.route("GET", "/applications/{app}/guilds/{guild}/commands", true,
                c -> FakeRest.Reply.ok(registeredCommands(c.id("guild"))));
        rest.route("POST", "/applications/{app}/guilds/{guild}/commands", true, c -> postCommand(c, c.id("guild")));

        rest.route("POST", "/interactions/{interaction}/{token}/callback", false, this::callback);
        rest.route("GET", "/webhooks/{app}/{token}/messages/{message}", false, c -> webhookMessage(c, "GET"));
        rest.route("PATCH", "/webhooks/{app}/{token}/messages/{message}", false, c -> webhookMessage(c, "PATCH"));
        rest.route("DELETE", "/webhooks/{app}/{token}/messages/{message}", false, c -> webhookMessage(c, "DELETE"));
        rest.route("POST", "/webhooks/{app}/{token}", false, this::followup);

        rest.route("GET", "/channels/{channel}", true, c -> FakeRest.Reply.ok(channel(c).toJson()));
        rest.route("POST", "/channels/{channel}/typing", true, c -> {
            channel(c);
            return FakeRest.Reply.noContent();
        });
        rest.route("POST", "/channels/{channel}/messages", true, this::createChannelMessage);
        rest.route("GET", "/channels/{channel}/messages", true, this::listChannelMessages);
        rest.route("GET", "/channels/{channel}/messages/{message}", true, c -> {
            requirePermissions(c, READ_HISTORY);
            return FakeRest.Reply.ok(channelMessage(c).toJson(this));
        });
        rest.route("PATCH", "/channels/{channel}/messages/{message}", true, this::editChannelMessage);
        rest.route("DELETE", "/channels/{channel}/messages/{message}", true, this::deleteChannelMessage);
        rest.route("PUT", "/channels/{channel}/messages/{message}/reactions/{emoji}/{user}", true,
                this::putReaction);
        rest.route("DELETE", "/channels/{channel}/messages/{message}/reactions/{emoji}/{user}", true,
                this::deleteReaction);

        rest.route("GET", "/attachments/{channel}/{attachment}/{filename}", false, this::attachmentBytes);
    }

    private JsonObject selfUserJson() {
        JsonObject self = botUser.toJson();
        self.addProperty("verified", true);
        self.addProperty("mfa_enabled", false);
        self.addProperty("flags", 0);
        return self;
    }

    private JsonObject gatewayBot() {
        JsonObject json = new JsonObject();
        json.addProperty("url", gatewayUrl());
        json.addProperty("shards", shardCount);
        JsonObject limit = new JsonObject();
        limit.addProperty("total", 1000);
        limit.addProperty("remaining", 999);
        limit.addProperty("reset_after", 14_400_000);
        limit.addProperty("max_concurrency", maxConcurrency);
        json.add("session_start_limit", limit);
        return json;
    }

    private void requireApplication(FakeRest.Call c) {
        if (c.id("app") != applicationId) {
            throw new DiscordError(403, 50001, "Missing Access");
        }
    }

    private FakeRest.Reply putCommands(FakeRest.Call c, long guildId) {
        requireApplication(c);
        JsonElement body = c.request().json();
        if (body == null || !body.isJsonArray()) {
            throw new DiscordError(400, 50035, "Invalid Form Body");
        }
        JsonArray previous = commands.getOrDefault(guildId, new JsonArray());
        JsonArray stored = new JsonArray();
        for (JsonElement e : body.getAsJsonArray()) {
            stored.add(storedCommand(e.getAsJsonObject(), guildId, previous));
        }
        commands.put(guildId, stored);
        return FakeRest.Reply.ok(stored.deepCopy());
    }

    private FakeRest.Reply postCommand(FakeRest.Call c, long guildId) {
        requireApplication(c);
        JsonArray previous = commands.getOrDefault(guildId, new JsonArray());
        JsonObject stored = storedCommand(c.payload(), guildId, previous);
        JsonArray next = new JsonArray();
        for (JsonElement e : previous) {
            if (!e.getAsJsonObject().get("name").getAsString().equals(stored.get("name").getAsString())) {
                next.add(e);
            }
        }
        next.add(stored);
        commands.put(guildId, next);
        return FakeRest.Reply.json(201, stored.deepCopy());
    }

    private JsonObject storedCommand(JsonObject sent, long guildId, JsonArray previous) {
        JsonObject cmd = sent.deepCopy();
        String name = cmd.get("name").getAsString();
        long id = 0;
        for (JsonElement e : previous) {
            if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
                id = e.getAsJsonObject().get("id").getAsLong();
            }
        }
        cmd.addProperty("id", Long.toString(id != 0 ? id : Snowflakes.next()));
        cmd.addProperty("application_id", Long.toString(applicationId));
        cmd.addProperty("version", Long.toString(Snowflakes.next()));
        if (!cmd.has("type")) {
            cmd.addProperty("type", 1);
        }
        if (!cmd.has("description")) {
            cmd.addProperty("description", "");
        }
        if (guildId != 0) {
            cmd.addProperty("guild_id", Long.toString(guildId));
        }
        return cmd;
    }

    private long registeredCommandId(long guildId, String name) {
        for (long scope : new long[] {guildId, 0}) {
            JsonArray array = commands.get(scope);
            if (array != null) {
                for (JsonElement e : array) {
                    if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
                        return e.getAsJsonObject().get("id").getAsLong();
                    }
                }
            }
        }
        return Snowflakes.next();
    }

    private static boolean hasCommand(JsonArray array, String name) {
        for (JsonElement e : array) {
            if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The files of a request as attachments with fresh ids; names from the part, else from payload attachments. */
    private List<FakeAttachment> uploads(FakeRest.Call c) {
        List<FakeAttachment> out = new ArrayList<>();
        for (Part p : c.request().files()) {
            out.add(new FakeAttachment(Snowflakes.next(), p.filename(), p.contentType(), p.bytes()));
        }
        return out;
    }

    private FakeRest.Reply callback(FakeRest.Call c) {
        FakeInteraction i = interactions.get(c.id("interaction"));
        if (i == null || !i.token().equals(c.param("token"))) {
            throw DiscordError.unknownInteraction();
        }
        if (ackDeadline != null && Instant.now().isAfter(i.dispatchedAt().plus(ackDeadline))
                && i.callbackType() == 0) {
            throw DiscordError.unknownInteraction();
        }
        JsonObject payload = c.payload();
        int type = payload.has("type") ? payload.get("type").getAsInt() : 0;
        JsonObject data = payload.has("data") && payload.get("data").isJsonObject()
                ? payload.getAsJsonObject("data") : new JsonObject();
        FakeMessage original = null;
        if (type == 4 || type == 5) {
            original = new FakeMessage(Snowflakes.next(), i.channelId(), i.guildId(), botUser.id(), i.id(), 20,
                    type == 5 ? FakeMessage.FLAG_LOADING : 0);
            original.apply(data, uploads(c), false);
        } else if (type < 4 || type > 12) {
            throw new DiscordError(400, 50035, "Invalid Form Body: unknown callback type " + type);
        }
        if (!i.acknowledge(type, original == null ? 0 : original.id())) {
            throw new DiscordError(400, 40060, "Interaction has already been acknowledged.");
        }
        if (original != null) {
            messages.put(original.id(), original);
        }
        if (!"true".equals(c.request().queryParam("with_response"))) {
            return FakeRest.Reply.noContent();
        }
        JsonObject response = new JsonObject();
        JsonObject interaction = new JsonObject();
        interaction.addProperty("id", Long.toString(i.id()));
        interaction.addProperty("type", 2);
        if (original != null) {
            interaction.addProperty("response_message_id", Long.toString(original.id()));
            interaction.addProperty("response_message_loading", original.loading());
            interaction.addProperty("response_message_ephemeral", original.ephemeral());
        }
        response.add("interaction", interaction);
        JsonObject resource = new JsonObject();
        resource.addProperty("type", type);
        if (original != null) {
            resource.add("message", original.toJson(this));
        }
        response.add("resource", resource);
        return FakeRest.Reply.ok(response);
    }

    /** The interaction behind a webhook route: app id, known token, not expired, acknowledged. */
    private FakeInteraction webhookInteraction(FakeRest.Call c) {
        if (c.id("app") != applicationId) {
            throw DiscordError.unknownWebhook();
        }
        FakeInteraction i = interactionsByToken.get(c.param("token"));
        if (i == null) {
            throw DiscordError.unknownWebhook();
        }
        if (i.tokenExpired()) {
            throw DiscordError.invalidWebhookToken();
        }
        if (i.callbackType() == 0) {
            throw DiscordError.unknownWebhook();
        }
        return i;
    }

    private FakeRest.Reply webhookMessage(FakeRest.Call c, String method) {
        FakeInteraction i = webhookInteraction(c);
        String which = c.param("message");
        long messageId = which.equals("@original") ? i.originalMessageId() : c.id("message");
        FakeMessage m = messages.get(messageId);
        if (m == null || m.deleted() || m.interactionId() != i.id()) {
            throw DiscordError.unknownMessage();
        }
        switch (method) {
            case "PATCH" -> {
                m.apply(c.payload(), uploads(c), true);
                return FakeRest.Reply.ok(m.toJson(this));
            }
            case "DELETE" -> {
                m.markDeleted();
                return FakeRest.Reply.noContent();
            }
            default -> {
                return FakeRest.Reply.ok(m.toJson(this));
            }
        }
    }

    private FakeRest.Reply followup(FakeRest.Call c) {
        FakeInteraction i = webhookInteraction(c);
        FakeMessage original = messages.get(i.originalMessageId());
        FakeMessage m;
        if (original != null && !original.deleted() && original.loading()) {
            // Discord: the first follow-up after a deferred reply replaces the "thinking…" message, and keeps
            // the deferral's visibility (a public deferral makes an "ephemeral" follow-up public).
            original.apply(c.payload(), uploads(c), true);
            m = original;
        } else {
            m = new FakeMessage(Snowflakes.next(), i.channelId(), i.guildId(), botUser.id(), i.id(), 0, 0);
            m.apply(c.payload(), uploads(c), false);
            messages.put(m.id(), m);
        }
        return "true".equals(c.request().queryParam("wait")) ? FakeRest.Reply.ok(m.toJson(this))
                : FakeRest.Reply.noContent();
    }

    private FakeChannel channel(FakeRest.Call c) {
        long channelId = c.id("channel");
        FakeGuild g = guildOfChannel(channelId).orElseThrow(DiscordError::unknownChannel);
        FakeChannel channel = g.channel(channelId).orElseThrow();
        if ((g.channelPermissions(botUser.id(), channelId) & VIEW_CHANNEL) == 0) {
            throw DiscordError.missingAccess();
        }
        return channel;
    }

    private void requirePermissions(FakeRest.Call c, long bits) {
        FakeChannel channel = channel(c);
        long perms = guild(channel.guildId()).channelPermissions(botUser.id(), channel.id());
        if ((perms & bits) != bits) {
            throw DiscordError.missingPermissions();
        }
    }

    private FakeMessage channelMessage(FakeRest.Call c) {
        FakeChannel channel = channel(c);
        FakeMessage m = messages.get(c.id("message"));
        if (m == null || m.channelId() != channel.id() || !m.publiclyVisible()) {
            throw DiscordError.unknownMessage();
        }
        return m;
    }

    private FakeRest.Reply createChannelMessage(FakeRest.Call c) {
        FakeChannel channel = channel(c);
        List<FakeAttachment> files = uploads(c);
        requirePermissions(c, SEND_MESSAGES | (files.isEmpty() ? 0 : ATTACH_FILES));
        JsonObject payload = c.payload().deepCopy();
        if (payload.has("flags") && !payload.get("flags").isJsonNull()) {
            payload.addProperty("flags", payload.get("flags").getAsInt() & ~FakeMessage.FLAG_EPHEMERAL);
        }
        int type = payload.has("message_reference") ? 19 : 0;
        String nonce = enforcedNonce(payload);
        synchronized (nonces) {
            if (nonce != null) {
                FakeMessage earlier = nonces.get(new NonceKey(channel.id(), botUser.id(), nonce));
                if (earlier != null && !earlier.deleted()
                        && earlier.createdAt().isAfter(Instant.now().minus(NONCE_WINDOW))) {
                    return FakeRest.Reply.ok(earlier.toJson(this));
                }
            }
            FakeMessage m = new FakeMessage(Snowflakes.next(), channel.id(), channel.guildId(), botUser.id(), 0, type,
                    0);
            m.apply(payload, files, false);
            messages.put(m.id(), m);
            if (nonce != null) {
                nonces.put(new NonceKey(channel.id(), botUser.id(), nonce), m);
            }
            return FakeRest.Reply.ok(m.toJson(this));
        }
    }

    /**
     * The nonce Discord deduplicates by: only with {@code enforce_nonce: true}. Discord refuses a nonce longer
     * than 25 characters (a number or a string), as here.
     */
    private static String enforcedNonce(JsonObject payload) {
        if (!payload.has("nonce") || payload.get("nonce").isJsonNull()) {
            return null;
        }
        String nonce = payload.get("nonce").getAsString();
        if (nonce.length() > 25) {
            throw new DiscordError(400, 50035, "Invalid Form Body (nonce: Must be 25 or fewer in length.)");
        }
        boolean enforce = payload.has("enforce_nonce") && !payload.get("enforce_nonce").isJsonNull()
                && payload.get("enforce_nonce").getAsBoolean();
        return enforce ? nonce : null;
    }

    private FakeRest.Reply listChannelMessages(FakeRest.Call c) {
        FakeChannel channel = channel(c);
        requirePermissions(c, READ_HISTORY);
        int limit = c.request().queryParam("limit") == null ? 50 : Integer.parseInt(c.request().queryParam("limit"));
        String before = c.request().queryParam("before");
        String after = c.request().queryParam("after");
        JsonArray out = new JsonArray();
        messages.values().stream()
                .filter(m -> m.channelId() == channel.id() && m.publiclyVisible())
                .filter(m -> before == null || m.id() < Long.parseLong(before))
                .filter(m -> after == null || m.id() > Long.parseLong(after))
                .sorted(Comparator.comparingLong(FakeMessage::id).reversed())
                .limit(limit)
                .forEach(m -> out.add(m.toJson(this)));
        return FakeRest.Reply.ok(out);
    }

    private FakeRest.Reply editChannelMessage(FakeRest.Call c) {
        FakeMessage m = channelMessage(c);
        if (m.authorId() != botUser.id()) {
            throw new DiscordError(403, 50005, "Cannot edit a message authored by another user");
        }
        m.apply(c.payload(), uploads(c), true);
        return FakeRest.Reply.ok(m.toJson(this));
    }

    private FakeRest.Reply deleteChannelMessage(FakeRest.Call c) {
        FakeMessage m = channelMessage(c);
        if (m.authorId() != botUser.id()) {
            requirePermissions(c, MANAGE_MESSAGES);
        }
        m.markDeleted();
        return FakeRest.Reply.noContent();
    }

    private FakeRest.Reply putReaction(FakeRest.Call c) {
        if (!c.param("user").equals("@me")) {
            throw new DiscordError(405, 0, "405: Method Not Allowed");
        }
        FakeMessage m = channelMessage(c);
        String emoji = c.param("emoji");
        requirePermissions(c, READ_HISTORY | (m.hasReaction(emoji) ? 0 : ADD_REACTIONS));
        if (m.addReaction(emoji, botUser.id())) {
            dispatchReaction("MESSAGE_REACTION_ADD", m.channelId(), m.id(), botUser.id(), emoji, false);
        }
        return FakeRest.Reply.noContent();
    }

    private FakeRest.Reply deleteReaction(FakeRest.Call c) {
        FakeMessage m = channelMessage(c);
        String emoji = c.param("emoji");
        long userId;
        if (c.param("user").equals("@me")) {
            userId = botUser.id();
        } else {
            requirePermissions(c, MANAGE_MESSAGES);
            userId = c.id("user");
        }
        if (m.removeReaction(emoji, userId)) {
            dispatchReaction("MESSAGE_REACTION_REMOVE", m.channelId(), m.id(), userId, emoji, false);
        }
        return FakeRest.Reply.noContent();
    }

    private FakeRest.Reply attachmentBytes(FakeRest.Call c) {
        long attachmentId = c.id("attachment");
        for (FakeMessage m : messages.values()) {
            for (FakeAttachment a : m.attachments()) {
                if (a.id() == attachmentId) {
                    return FakeRest.Reply.bytes(a.contentType() == null ? "application/octet-stream"
                            : a.contentType(), a.bytes());
                }
            }
        }
        throw new DiscordError(404, 0, "404: Not Found");
    }

    @Override
    public void close() {
        gateway.stopQuietly();
        rest.close();
    }

    /** Configures and starts a {@link FakeDiscord}. */
    public static final class Builder {
        private String token = DEFAULT_TOKEN;
        private long botUserId = Snowflakes.next();
        private String botName = "Dream Oven";
        private long applicationId = botUserId;
        private boolean applicationIdSet;
        private int shardCount = 1;
        private int maxConcurrency = 16;
        private Duration ackDeadline = Duration.ofSeconds(3);
        private Duration heartbeatInterval = Duration.ofSeconds(41);
        private final List<FakeGuild> guilds = new ArrayList<>();

        private Builder() {
        }

        /** The bot token the fake accepts (REST {@code Authorization: Bot <token>} and IDENTIFY). */
        public Builder token(String value) {
            this.token = value;
            return this;
        }

        /** The bot's user id and name; the application id follows the user id unless set. */
        public Builder botUser(long id, String name) {
            this.botUserId = id;
            this.botName = name;
            if (!applicationIdSet) {
                this.applicationId = id;
            }
            return this;
        }

        /** The application id READY announces and webhook routes must use. */
        public Builder applicationId(long id) {
            this.applicationId = id;
            this.applicationIdSet = true;
            return this;
        }

        /** The shard count GET /gateway/bot recommends (default 1). */
        public Builder shards(int count) {
            this.shardCount = count;
            return this;
        }

        /**
         * session_start_limit.max_concurrency (default 16): JDA's ConcurrentSessionController waits 5 s between two
         * IDENTIFYs of the same bucket, so 1 would make a 2-shard login take 5 s longer.
         */
        public Builder maxConcurrency(int value) {
            this.maxConcurrency = value;
            return this;
        }

        /**
         * How long after INTERACTION_CREATE the callback may come before it is refused with 10062 Unknown
         * interaction (default 3 s, as on Discord); null turns the check off.
         */
        public Builder ackDeadline(Duration value) {
            this.ackDeadline = value;
            return this;
        }

        /** The heartbeat interval HELLO announces (default 41.25 s rounded, as on Discord). */
        public Builder heartbeatInterval(Duration value) {
            this.heartbeatInterval = value;
            return this;
        }

        /** A guild (the bot's member is added with the guild's {@link FakeGuild.Builder#botRoles}). */
        public Builder guild(FakeGuild guild) {
            guilds.add(guild);
            return this;
        }

        /** Binds REST and gateway on 127.0.0.1 (ephemeral ports) and returns the running fake. */
        public FakeDiscord start() {
            Map<Long, FakeGuild> byId = new LinkedHashMap<>();
            for (FakeGuild g : guilds) {
                if (byId.put(g.id(), g) != null) {
                    throw new IllegalStateException("two guilds with id " + g.id());
                }
            }
            return new FakeDiscord(this);
        }
    }
}
