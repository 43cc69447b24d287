package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/** A member of a guild: a user and the ids of its roles (without @everyone, which every member has). */
public record FakeMember(FakeUser user, List<Long> roleIds) {

    public FakeMember {
        roleIds = List.copyOf(roleIds);
    }

    JsonObject toJson(boolean withUser) {
        JsonObject json = new JsonObject();
        if (withUser) {
            json.add("user", user.toJson());
        }
        JsonArray roles = new JsonArray();
        roleIds.forEach(r -> roles.add(Long.toString(r)));
        json.add("roles", roles);
        json.add("nick", null);
        json.add("avatar", null);
        json.addProperty("joined_at", "2024-01-01T00:00:00.000000+00:00");
        json.add("premium_since", null);
        json.addProperty("deaf", false);
        json.addProperty("mute", false);
        json.addProperty("flags", 0);
        json.addProperty("pending", false);
        json.add("communication_disabled_until", null);
        return json;
    }
}
