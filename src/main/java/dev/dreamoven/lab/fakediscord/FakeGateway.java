package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway side of the fake: a plain-ws server on 127.0.0.1 and an ephemeral port, JSON frames without
 * compression. HELLO on connect; IDENTIFY (accepted before HELLO too) gets READY and one GUILD_CREATE per guild
 * of the shard; heartbeats are acknowledged; RESUME of a known session gets RESUMED; REQUEST_GUILD_MEMBERS gets
 * one chunk.
 */
final class FakeGateway extends WebSocketServer {

    private static final Logger LOG = LoggerFactory.getLogger(FakeGateway.class);

    static final int DISPATCH = 0;
    static final int HEARTBEAT = 1;
    static final int IDENTIFY = 2;
    static final int RESUME = 6;
    static final int RECONNECT = 7;
    static final int REQUEST_GUILD_MEMBERS = 8;
    static final int INVALID_SESSION = 9;
    static final int HELLO = 10;
    static final int HEARTBEAT_ACK = 11;

    /** One client connection. */
    static final class Session {
        final int connection;
        final WebSocket socket;
        volatile int shardId = -1;
        volatile int shardCount = 1;
        volatile boolean sharded;
        volatile long intents;
        volatile String sessionId;
        private int seq;

        Session(int connection, WebSocket socket) {
            this.connection = connection;
            this.socket = socket;
        }

        boolean identified() {
            return sessionId != null;
        }

        boolean wants(long intentBit) {
            return (intents & intentBit) != 0;
        }
    }

    private final FakeDiscord discord;
    private final Recorder<RecordedFrame> frames = new Recorder<>("gateway frames");
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<String, Integer> lastSeqBySession = new ConcurrentHashMap<>();
    private final CountDownLatch started = new CountDownLatch(1);

    FakeGateway(FakeDiscord discord) {
        super(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.discord = discord;
        setReuseAddr(true);
        setDaemon(true);
    }

    void startAndWait() {
        start();
        try {
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("fake gateway did not start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code ws://127.0.0.1:PORT/}. */
    String url() {
        return "ws://127.0.0.1:" + getPort() + "/";
    }

    Recorder<RecordedFrame> frames() {
        return frames;
    }

    /** The identified sessions, one per shard (the latest when a shard reconnected). */
    List<Session> sessions() {
        Map<Integer, Session> byShard = new java.util.TreeMap<>();
        for (WebSocket socket : getConnections()) {
            Session s = socket.getAttachment();
            if (s != null && s.identified() && socket.isOpen()) {
                Session other = byShard.get(s.shardId);
                if (other == null || other.connection < s.connection) {
                    byShard.put(s.shardId, s);
                }
            }
        }
        return List.copyOf(byShard.values());
    }

    /** The session that receives events of the guild, by Discord's rule {@code (guildId >> 22) % shardCount}. */
    Session sessionForGuild(long guildId) {
        for (Session s : sessions()) {
            if (Snowflakes.shardOf(guildId, s.shardCount) == Math.max(0, s.shardId)) {
                return s;
            }
        }
        throw new IllegalStateException("no identified gateway session receives guild " + guildId + " (sessions: "
                + sessions().stream().map(s -> "shard " + s.shardId + "/" + s.shardCount).toList() + ")");
    }

    /** Sends a dispatch (op 0) with the session's next sequence number. */
    void dispatch(Session session, String type, JsonElement data) {
        synchronized (session) {
            session.seq++;
            JsonObject frame = new JsonObject();
            frame.addProperty("op", DISPATCH);
            frame.addProperty("t", type);
            frame.addProperty("s", session.seq);
            frame.add("d", data);
            if (session.sessionId != null) {
                lastSeqBySession.put(session.sessionId, session.seq);
            }
            send(session, frame);
        }
    }

    /** Closes the connection of a shard with a close code (4000 lets JDA resume; 1000 makes it identify anew). */
    void disconnect(int shard, int code, String reason) {
        for (Session s : sessions()) {
            if (Math.max(0, s.shardId) == shard) {
                s.socket.close(code, reason);
                return;
            }
        }
        throw new IllegalStateException("no session for shard " + shard);
    }

    @Override
    public void onStart() {
        setConnectionLostTimeout(0);
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        Session session = new Session(connections.incrementAndGet(), conn);
        conn.setAttachment(session);
        LOG.debug("fake gateway: connection {} opened {}", session.connection, handshake.getResourceDescriptor());
        JsonObject hello = new JsonObject();
        hello.addProperty("op", HELLO);
        hello.add("t", JsonNull.INSTANCE);
        hello.add("s", JsonNull.INSTANCE);
        JsonObject d = new JsonObject();
        d.addProperty("heartbeat_interval", discord.heartbeatIntervalMillis());
        hello.add("d", d);
        send(session, hello);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Session s = conn.getAttachment();
        LOG.debug("fake gateway: connection {} closed {} {} (by {})", s == null ? "?" : s.connection, code, reason,
                remote ? "client" : "fake");
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        LOG.warn("fake gateway: binary frame ignored (use Compression.NONE and JSON encoding)");
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        Session session = conn.getAttachment();
        JsonObject frame;
        try {
            frame = JsonParser.parseString(message).getAsJsonObject();
        } catch (RuntimeException e) {
            LOG.warn("fake gateway: not JSON: {}", message);
            conn.close(4002, "Error while decoding payload.");
            return;
        }
        int op = frame.has("op") ? frame.get("op").getAsInt() : -1;
        record(session, RecordedFrame.Direction.FROM_CLIENT, redacted(frame));
        try {
            switch (op) {
                case HEARTBEAT -> {
                    JsonObject ack = new JsonObject();
                    ack.addProperty("op", HEARTBEAT_ACK);
                    send(session, ack);
                }
                case IDENTIFY -> identify(session, frame.getAsJsonObject("d"));
                case RESUME -> resume(session, frame.getAsJsonObject("d"));
                case REQUEST_GUILD_MEMBERS -> requestMembers(session, frame.getAsJsonObject("d"));
                default -> {
                    // presence (3), voice state (4) and others are only recorded
                }
            }
        } catch (RuntimeException e) {
            LOG.error("fake gateway: failed to handle op {}", op, e);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        LOG.warn("fake gateway error", ex);
    }

    private void identify(Session session, JsonObject d) {
        if (!discord.token().equals(d.get("token").getAsString())) {
            session.socket.close(4004, "Authentication failed.");
            return;
        }
        if (d.has("shard") && d.get("shard").isJsonArray()) {
            JsonArray shard = d.getAsJsonArray("shard");
            session.shardId = shard.get(0).getAsInt();
            session.shardCount = shard.get(1).getAsInt();
            session.sharded = true;
        } else {
            session.shardId = 0;
            session.shardCount = 1;
        }
        session.intents = d.has("intents") ? d.get("intents").getAsLong() : 0;
        session.sessionId = UUID.randomUUID().toString().replace("-", "");
        resumeInfo.put(session.sessionId,
                new ResumeInfo(session.shardId, session.shardCount, session.sharded, session.intents));

        List<FakeGuild> guilds = discord.guilds().stream()
                .filter(g -> Snowflakes.shardOf(g.id(), session.shardCount) == session.shardId)
                .toList();
        JsonObject ready = new JsonObject();
        ready.addProperty("v", 10);
        JsonObject self = discord.botUser().toJson();
        self.addProperty("verified", true);
        self.addProperty("mfa_enabled", false);
        self.addProperty("flags", 0);
        ready.add("user", self);
        JsonArray unavailable = new JsonArray();
        for (FakeGuild g : guilds) {
            JsonObject u = new JsonObject();
            u.addProperty("id", Long.toString(g.id()));
            u.addProperty("unavailable", true);
            unavailable.add(u);
        }
        ready.add("guilds", unavailable);
        ready.addProperty("session_id", session.sessionId);
        ready.addProperty("session_type", "normal");
        ready.addProperty("resume_gateway_url", url());
        if (session.sharded) {
            JsonArray shard = new JsonArray();
            shard.add(session.shardId);
            shard.add(session.shardCount);
            ready.add("shard", shard);
        }
        JsonObject application = new JsonObject();
        application.addProperty("id", Long.toString(discord.applicationId()));
        application.addProperty("flags", 0);
        ready.add("application", application);
        ready.add("private_channels", new JsonArray());
        ready.add("relationships", new JsonArray());
        ready.add("presences", new JsonArray());
        ready.add("guild_join_requests", new JsonArray());
        ready.add("geo_ordered_rtc_regions", new JsonArray());
        ready.add("user_settings", new JsonObject());
        dispatch(session, "READY", ready);
        for (FakeGuild g : guilds) {
            dispatch(session, "GUILD_CREATE", discord.guildCreate(g));
        }
    }

    private void resume(Session session, JsonObject d) {
        String sessionId = d.get("session_id").getAsString();
        Integer seq = lastSeqBySession.get(sessionId);
        ResumeInfo info = resumeInfo.get(sessionId);
        if (!discord.token().equals(d.get("token").getAsString()) || seq == null || info == null) {
            JsonObject invalid = new JsonObject();
            invalid.addProperty("op", INVALID_SESSION);
            invalid.addProperty("d", false);
            send(session, invalid);
            return;
        }
        synchronized (session) {
            session.shardId = info.shardId();
            session.shardCount = info.shardCount();
            session.sharded = info.sharded();
            session.intents = info.intents();
            session.seq = seq;
            session.sessionId = sessionId;
        }
        dispatch(session, "RESUMED", new JsonObject());
    }

    private void requestMembers(Session session, JsonObject d) {
        JsonElement guildIds = d.get("guild_id");
        List<String> ids = guildIds.isJsonArray()
                ? guildIds.getAsJsonArray().asList().stream().map(JsonElement::getAsString).toList()
                : List.of(guildIds.getAsString());
        for (String id : ids) {
            FakeGuild guild = discord.guild(Long.parseLong(id));
            JsonObject chunk = new JsonObject();
            chunk.addProperty("guild_id", id);
            JsonArray members = new JsonArray();
            guild.members().forEach(m -> members.add(discord.memberJson(guild.id(), m.user().id())));
            chunk.add("members", members);
            chunk.addProperty("chunk_index", 0);
            chunk.addProperty("chunk_count", 1);
            chunk.add("not_found", new JsonArray());
            if (d.has("nonce")) {
                chunk.add("nonce", d.get("nonce"));
            }
            dispatch(session, "GUILD_MEMBERS_CHUNK", chunk);
        }
    }

    private record ResumeInfo(int shardId, int shardCount, boolean sharded, long intents) {
    }

    private final Map<String, ResumeInfo> resumeInfo = new ConcurrentHashMap<>();

    private void send(Session session, JsonObject frame) {
        record(session, RecordedFrame.Direction.TO_CLIENT, frame);
        if (session.socket.isOpen()) {
            session.socket.send(frame.toString());
        }
    }

    private void record(Session session, RecordedFrame.Direction direction, JsonObject frame) {
        int op = frame.has("op") ? frame.get("op").getAsInt() : -1;
        String type = frame.has("t") && !frame.get("t").isJsonNull() ? frame.get("t").getAsString() : null;
        frames.addNumbered(seq -> new RecordedFrame(seq, Instant.now(), direction,
                session == null ? 0 : session.connection, session == null ? -1 : session.shardId, op, type, frame));
    }

    /** A copy without the token of IDENTIFY and RESUME. */
    private static JsonObject redacted(JsonObject frame) {
        JsonObject copy = frame.deepCopy();
        if (copy.has("d") && copy.get("d").isJsonObject() && copy.getAsJsonObject("d").has("token")) {
            copy.getAsJsonObject("d").addProperty("token", "<redacted>");
        }
        return copy;
    }

    void stopQuietly() {
        try {
            stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
