package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/** A guild text channel (type 0) with its permission overwrites. */
public record FakeChannel(long id, long guildId, String name, int position, List<Overwrite> overwrites) {

    public static final int GUILD_TEXT = 0;

    public FakeChannel {
        overwrites = List.copyOf(overwrites);
    }

    /** The same channel with other overwrites (see {@link FakeDiscord#updateChannel}). */
    public FakeChannel withOverwrites(Overwrite... replaced) {
        return new FakeChannel(id, guildId, name, position, List.of(replaced));
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("id", Long.toString(id));
        json.addProperty("type", GUILD_TEXT);
        json.addProperty("guild_id", Long.toString(guildId));
        json.addProperty("name", name);
        json.addProperty("position", position);
        JsonArray array = new JsonArray();
        overwrites.forEach(o -> array.add(o.toJson()));
        json.add("permission_overwrites", array);
        json.addProperty("nsfw", false);
        json.add("topic", null);
        json.add("last_message_id", null);
        json.addProperty("rate_limit_per_user", 0);
        json.add("parent_id", null);
        json.addProperty("flags", 0);
        return json;
    }
}
