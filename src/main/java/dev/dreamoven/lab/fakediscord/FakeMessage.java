package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A message as the fake holds it: what a user of the channel would see. Interaction responses are messages
 * too (the original response and follow-ups); ephemeral ones (flag 64) are seen only by the invoking user.
 * Thread-safe; the getters return snapshots.
 */
public final class FakeMessage {

    public static final int FLAG_EPHEMERAL = 64;
    public static final int FLAG_LOADING = 128;

    private final long id;
    private final long channelId;
    private final long guildId;
    private final long authorId;
    private final long interactionId;
    private final int type;
    private final Instant createdAt;
    private String content = "";
    private int flags;
    private JsonArray embeds = new JsonArray();
    private JsonArray components = new JsonArray();
    private JsonObject allowedMentions;
    private JsonObject messageReference;
    private List<FakeAttachment> attachments = new ArrayList<>();
    private Instant editedAt;
    private boolean deleted;
    private int edits;
    private final Map<String, Set<Long>> reactions = new LinkedHashMap<>();

    FakeMessage(long id, long channelId, long guildId, long authorId, long interactionId, int type, int flags) {
        this.id = id;
        this.channelId = channelId;
        this.guildId = guildId;
        this.authorId = authorId;
        this.interactionId = interactionId;
        this.type = type;
        this.flags = flags;
        this.createdAt = Snowflakes.timeOf(id);
    }

    public long id() {
        return id;
    }

    public long channelId() {
        return channelId;
    }

    public long guildId() {
        return guildId;
    }

    public long authorId() {
        return authorId;
    }

    /** When it was created: the time in its id. */
    public Instant createdAt() {
        return createdAt;
    }

    /** The interaction this message answers (original response or follow-up), or 0. */
    public long interactionId() {
        return interactionId;
    }

    public synchronized String content() {
        return content;
    }

    public synchronized int flags() {
        return flags;
    }

    public synchronized boolean ephemeral() {
        return (flags & FLAG_EPHEMERAL) != 0;
    }

    /** Whether this is a deferred response still showing "thinking…". */
    public synchronized boolean loading() {
        return (flags & FLAG_LOADING) != 0;
    }

    public synchronized boolean deleted() {
        return deleted;
    }

    /** Whether everyone in the channel sees it: not deleted and not ephemeral. */
    public synchronized boolean publiclyVisible() {
        return !deleted && !ephemeral();
    }

    /** How many times it was edited. */
    public synchronized int edits() {
        return edits;
    }

    public synchronized List<FakeAttachment> attachments() {
        return List.copyOf(attachments);
    }

    public synchronized JsonArray embeds() {
        return embeds.deepCopy();
    }

    /** The allowed_mentions the last create or edit sent, or null. */
    public synchronized JsonObject allowedMentions() {
        return allowedMentions == null ? null : allowedMentions.deepCopy();
    }

    /** The users who reacted with each emoji (unicode or {@code name:id}). */
    public synchronized Map<String, Set<Long>> reactions() {
        Map<String, Set<Long>> copy = new LinkedHashMap<>();
        reactions.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
        return copy;
    }

    synchronized boolean hasReaction(String emoji) {
        Set<Long> users = reactions.get(emoji);
        return users != null && !users.isEmpty();
    }

    synchronized boolean addReaction(String emoji, long userId) {
        return reactions.computeIfAbsent(emoji, k -> new LinkedHashSet<>()).add(userId);
    }

    synchronized boolean removeReaction(String emoji, long userId) {
        Set<Long> users = reactions.get(emoji);
        boolean removed = users != null && users.remove(userId);
        if (users != null && users.isEmpty()) {
            reactions.remove(emoji);
        }
        return removed;
    }

    synchronized void markDeleted() {
        deleted = true;
    }

    /**
     * Applies a create or edit payload: content, embeds, components, allowed_mentions, flags (only ephemeral on
     * create; suppress-embeds style flags on edit), attachments (the kept ones listed by id plus new uploads).
     */
    synchronized void apply(JsonObject payload, List<FakeAttachment> uploads, boolean edit) {
        if (payload.has("content") && !payload.get("content").isJsonNull()) {
            content = payload.get("content").getAsString();
        }
        if (payload.has("embeds") && payload.get("embeds").isJsonArray()) {
            embeds = payload.getAsJsonArray("embeds").deepCopy();
        }
        if (payload.has("components") && payload.get("components").isJsonArray()) {
            components = payload.getAsJsonArray("components").deepCopy();
        }
        if (payload.has("allowed_mentions") && payload.get("allowed_mentions").isJsonObject()) {
            allowedMentions = payload.getAsJsonObject("allowed_mentions").deepCopy();
        }
        if (payload.has("message_reference") && payload.get("message_reference").isJsonObject()) {
            messageReference = payload.getAsJsonObject("message_reference").deepCopy();
        }
        if (!edit && payload.has("flags") && !payload.get("flags").isJsonNull()) {
            flags |= payload.get("flags").getAsInt() & (FLAG_EPHEMERAL | 4 | 4096);
        }
        List<FakeAttachment> next = new ArrayList<>();
        if (edit && payload.has("attachments") && payload.get("attachments").isJsonArray()) {
            Set<String> kept = new LinkedHashSet<>();
            for (JsonElement a : payload.getAsJsonArray("attachments")) {
                if (a.isJsonObject() && a.getAsJsonObject().has("id")) {
                    kept.add(a.getAsJsonObject().get("id").getAsString());
                }
            }
            attachments.stream().filter(a -> kept.contains(Long.toString(a.id()))).forEach(next::add);
        } else if (edit) {
            next.addAll(attachments);
        }
        next.addAll(uploads);
        attachments = next;
        if (edit) {
            boolean wasLoading = loading();
            flags &= ~FLAG_LOADING;
            if (!wasLoading) {
                editedAt = Instant.now();
            }
            edits++;
        }
    }

    synchronized JsonObject toJson(FakeDiscord discord) {
        JsonObject json = new JsonObject();
        json.addProperty("id", Long.toString(id));
        json.addProperty("channel_id", Long.toString(channelId));
        if (guildId != 0) {
            json.addProperty("guild_id", Long.toString(guildId));
        }
        json.addProperty("type", type);
        json.addProperty("content", content);
        json.add("author", discord.userJson(authorId));
        if (interactionId != 0) {
            json.addProperty("webhook_id", Long.toString(discord.applicationId()));
            json.addProperty("application_id", Long.toString(discord.applicationId()));
        } else if (guildId != 0) {
            JsonObject member = discord.memberJson(guildId, authorId);
            if (member != null) {
                json.add("member", member);
            }
        }
        json.addProperty("timestamp", iso(createdAt));
        if (editedAt == null) {
            json.add("edited_timestamp", null);
        } else {
            json.addProperty("edited_timestamp", iso(editedAt));
        }
        json.addProperty("tts", false);
        json.addProperty("mention_everyone", false);
        json.add("mentions", new JsonArray());
        json.add("mention_roles", new JsonArray());
        JsonArray files = new JsonArray();
        attachments.forEach(a -> files.add(a.toJson(discord.restBaseUrl(), channelId)));
        json.add("attachments", files);
        json.add("embeds", embeds.deepCopy());
        json.add("components", components.deepCopy());
        json.addProperty("pinned", false);
        json.addProperty("flags", flags);
        if (messageReference != null) {
            json.add("message_reference", messageReference.deepCopy());
        }
        if (!reactions.isEmpty()) {
            JsonArray array = new JsonArray();
            reactions.forEach((emoji, users) -> {
                JsonObject r = new JsonObject();
                r.addProperty("count", users.size());
                r.addProperty("me", users.contains(discord.botUserId()));
                r.addProperty("me_burst", false);
                r.add("emoji", emojiJson(emoji));
                array.add(r);
            });
            json.add("reactions", array);
        }
        return json;
    }

    static JsonObject emojiJson(String emoji) {
        JsonObject json = new JsonObject();
        int colon = emoji.indexOf(':');
        if (colon > 0) {
            json.addProperty("id", emoji.substring(colon + 1));
            json.addProperty("name", emoji.substring(0, colon));
        } else {
            json.add("id", null);
            json.addProperty("name", emoji);
        }
        return json;
    }

    private static String iso(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    @Override
    public synchronized String toString() {
        return "message " + id + " in " + channelId + (ephemeral() ? " (ephemeral)" : "") + (loading() ? " (loading)" : "")
                + (deleted ? " (deleted)" : "") + " \"" + content + "\" " + attachments + " " + reactions;
    }
}
