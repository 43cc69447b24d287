package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonObject;
import net.dv8tion.jda.api.Permission;

/**
 * A channel permission overwrite: allow and deny bits for a role ({@code type 0}; the guild id is @everyone)
 * or a member ({@code type 1}).
 */
public record Overwrite(long id, int type, long allow, long deny) {

    public static final int ROLE = 0;
    public static final int MEMBER = 1;

    /** An overwrite for a role (the guild id for @everyone). */
    public static Overwrite role(long roleId, long allow, long deny) {
        return new Overwrite(roleId, ROLE, allow, deny);
    }

    /** An overwrite for one member (the bot's user id to take permissions from the bot alone). */
    public static Overwrite member(long userId, long allow, long deny) {
        return new Overwrite(userId, MEMBER, allow, deny);
    }

    /** A member overwrite that denies the given permissions. */
    public static Overwrite denyMember(long userId, Permission... denied) {
        return member(userId, 0, Permission.getRaw(denied));
    }

    /** A role overwrite that denies the given permissions (the guild id for @everyone). */
    public static Overwrite denyRole(long roleId, Permission... denied) {
        return role(roleId, 0, Permission.getRaw(denied));
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("id", Long.toString(id));
        json.addProperty("type", type);
        json.addProperty("allow", Long.toString(allow));
        json.addProperty("deny", Long.toString(deny));
        return json;
    }
}
