package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonObject;

/** A guild role; the role whose id is the guild's id is @everyone. */
public record FakeRole(long id, String name, long permissions, int position) {

    JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("id", Long.toString(id));
        json.addProperty("name", name);
        json.addProperty("color", 0);
        json.addProperty("hoist", false);
        json.add("icon", null);
        json.add("unicode_emoji", null);
        json.addProperty("position", position);
        json.addProperty("permissions", Long.toString(permissions));
        json.addProperty("managed", false);
        json.addProperty("mentionable", false);
        json.addProperty("flags", 0);
        return json;
    }
}
