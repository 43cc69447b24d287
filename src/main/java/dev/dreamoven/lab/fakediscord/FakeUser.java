package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonObject;

/** A Discord user: the bot itself or a member of a guild. */
public record FakeUser(long id, String username, boolean bot) {

    /** A human user. */
    public static FakeUser human(long id, String username) {
        return new FakeUser(id, username, false);
    }

    /** A bot user. */
    public static FakeUser bot(long id, String username) {
        return new FakeUser(id, username, true);
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("id", Long.toString(id));
        json.addProperty("username", username);
        json.addProperty("discriminator", "0");
        json.add("global_name", null);
        json.add("avatar", null);
        json.addProperty("bot", bot);
        json.addProperty("system", false);
        json.addProperty("public_flags", 0);
        return json;
    }
}
