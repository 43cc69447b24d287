package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.dv8tion.jda.api.Permission;

/**
 * An immutable guild: roles (the @everyone role's id is the guild id), text channels and members. The bot's
 * own member is added by {@link FakeDiscord} with the roles given to {@link Builder#botRoles}.
 */
public final class FakeGuild {

    /** The permissions of a new guild's @everyone role on Discord (text and voice basics, slash commands). */
    public static final long DEFAULT_EVERYONE = Permission.getRaw(EnumSet.of(Permission.CREATE_INSTANT_INVITE,
            Permission.NICKNAME_CHANGE, Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND,
            Permission.MESSAGE_SEND_IN_THREADS, Permission.CREATE_PUBLIC_THREADS, Permission.CREATE_PRIVATE_THREADS,
            Permission.MESSAGE_EMBED_LINKS, Permission.MESSAGE_ATTACH_FILES, Permission.MESSAGE_ADD_REACTION,
            Permission.MESSAGE_EXT_EMOJI, Permission.MESSAGE_EXT_STICKER, Permission.MESSAGE_HISTORY,
            Permission.USE_APPLICATION_COMMANDS, Permission.VOICE_CONNECT, Permission.VOICE_SPEAK,
            Permission.VOICE_USE_VAD, Permission.VOICE_STREAM));

    private static final long ALL = Permission.getRaw(java.util.Arrays.stream(Permission.values())
            .filter(p -> p != Permission.UNKNOWN).toList());
    private static final long ADMINISTRATOR = Permission.ADMINISTRATOR.getRawValue();
    private static final long VIEW_CHANNEL = Permission.VIEW_CHANNEL.getRawValue();
    private static final long SEND_MESSAGES = Permission.MESSAGE_SEND.getRawValue();
    private static final long NEEDS_SEND = Permission.getRaw(Permission.MESSAGE_MENTION_EVERYONE,
            Permission.MESSAGE_ATTACH_FILES, Permission.MESSAGE_EMBED_LINKS, Permission.MESSAGE_TTS);

    private final long id;
    private final String name;
    private final long ownerId;
    private final Map<Long, FakeRole> roles;
    private final Map<Long, FakeChannel> channels;
    private final Map<Long, FakeMember> members;
    private final List<Long> botRoleIds;

    private FakeGuild(long id, String name, long ownerId, Map<Long, FakeRole> roles, Map<Long, FakeChannel> channels,
            Map<Long, FakeMember> members, List<Long> botRoleIds) {
        this.id = id;
        this.name = name;
        this.ownerId = ownerId;
        this.roles = Map.copyOf(roles);
        this.channels = new LinkedHashMap<>(channels);
        this.members = new LinkedHashMap<>(members);
        this.botRoleIds = List.copyOf(botRoleIds);
    }

    /** A builder for a guild with the given id (also its @everyone role's id). */
    public static Builder builder(long id, String name) {
        return new Builder(id, name);
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public long ownerId() {
        return ownerId;
    }

    public List<FakeRole> roles() {
        return List.copyOf(roles.values());
    }

    public List<FakeChannel> channels() {
        return List.copyOf(channels.values());
    }

    public List<FakeMember> members() {
        return List.copyOf(members.values());
    }

    List<Long> botRoleIds() {
        return botRoleIds;
    }

    public Optional<FakeChannel> channel(long channelId) {
        return Optional.ofNullable(channels.get(channelId));
    }

    public Optional<FakeMember> member(long userId) {
        return Optional.ofNullable(members.get(userId));
    }

    public FakeRole everyone() {
        return roles.get(id);
    }

    /** The same guild with {@code channel} replacing the channel of the same id (or added). */
    public FakeGuild withChannel(FakeChannel channel) {
        Map<Long, FakeChannel> copy = new LinkedHashMap<>(channels);
        copy.put(channel.id(), channel);
        return new FakeGuild(id, name, ownerId, roles, copy, members, botRoleIds);
    }

    /** The same guild with {@code member} replacing the member of the same user (or added). */
    public FakeGuild withMember(FakeMember member) {
        Map<Long, FakeMember> copy = new LinkedHashMap<>(members);
        copy.put(member.user().id(), member);
        return new FakeGuild(id, name, ownerId, roles, channels, copy, botRoleIds);
    }

    /** The member's guild-wide permissions: @everyone and its roles, everything for the owner or an administrator. */
    public long basePermissions(long userId) {
        if (userId == ownerId) {
            return ALL;
        }
        long perms = everyone().permissions();
        FakeMember member = members.get(userId);
        if (member != null) {
            for (long roleId : member.roleIds()) {
                FakeRole role = roles.get(roleId);
                if (role != null) {
                    perms |= role.permissions();
                }
            }
        }
        return (perms & ADMINISTRATOR) != 0 ? ALL : perms;
    }

    /**
     * The member's permissions in a channel, by Discord's rules: base permissions, then the @everyone overwrite,
     * the role overwrites together, the member overwrite; no VIEW_CHANNEL means nothing, no SEND_MESSAGES takes
     * the permissions that only apply to sending.
     */
    public long channelPermissions(long userId, long channelId) {
        long perms = basePermissions(userId);
        if (perms == ALL) {
            return ALL;
        }
        FakeChannel channel = channels.get(channelId);
        if (channel == null) {
            return 0;
        }
        FakeMember member = members.get(userId);
        List<Long> memberRoles = member == null ? List.of() : member.roleIds();
        for (Overwrite o : channel.overwrites()) {
            if (o.type() == Overwrite.ROLE && o.id() == id) {
                perms = (perms & ~o.deny()) | o.allow();
            }
        }
        long allow = 0;
        long deny = 0;
        for (Overwrite o : channel.overwrites()) {
            if (o.type() == Overwrite.ROLE && o.id() != id && memberRoles.contains(o.id())) {
                allow |= o.allow();
                deny |= o.deny();
            }
        }
        perms = (perms & ~deny) | allow;
        for (Overwrite o : channel.overwrites()) {
            if (o.type() == Overwrite.MEMBER && o.id() == userId) {
                perms = (perms & ~o.deny()) | o.allow();
            }
        }
        if ((perms & VIEW_CHANNEL) == 0) {
            return 0;
        }
        if ((perms & SEND_MESSAGES) == 0) {
            perms &= ~NEEDS_SEND;
        }
        return perms;
    }

    JsonObject toGuildCreate() {
        JsonObject json = new JsonObject();
        json.addProperty("id", Long.toString(id));
        json.addProperty("name", name);
        json.add("icon", null);
        json.add("splash", null);
        json.add("banner", null);
        json.add("description", null);
        json.addProperty("owner_id", Long.toString(ownerId));
        json.add("afk_channel_id", null);
        json.addProperty("afk_timeout", 300);
        json.addProperty("verification_level", 0);
        json.addProperty("default_message_notifications", 0);
        json.addProperty("explicit_content_filter", 0);
        json.addProperty("mfa_level", 0);
        json.addProperty("nsfw_level", 0);
        json.addProperty("premium_tier", 0);
        json.addProperty("premium_subscription_count", 0);
        json.addProperty("premium_progress_bar_enabled", false);
        json.addProperty("preferred_locale", "en-US");
        json.add("system_channel_id", null);
        json.addProperty("system_channel_flags", 0);
        json.add("rules_channel_id", null);
        json.add("public_updates_channel_id", null);
        json.addProperty("max_members", 500000);
        json.add("vanity_url_code", null);
        json.addProperty("joined_at", "2024-01-01T00:00:00.000000+00:00");
        json.addProperty("large", false);
        json.addProperty("unavailable", false);
        json.addProperty("member_count", members.size());
        json.add("features", new JsonArray());
        JsonArray roleArray = new JsonArray();
        roles.values().forEach(r -> roleArray.add(r.toJson()));
        json.add("roles", roleArray);
        JsonArray channelArray = new JsonArray();
        channels.values().forEach(c -> channelArray.add(c.toJson()));
        json.add("channels", channelArray);
        JsonArray memberArray = new JsonArray();
        members.values().forEach(m -> memberArray.add(m.toJson(true)));
        json.add("members", memberArray);
        for (String empty : List.of("threads", "emojis", "stickers", "voice_states", "presences",
                "stage_instances", "guild_scheduled_events", "soundboard_sounds")) {
            json.add(empty, new JsonArray());
        }
        return json;
    }

    /** Builds a {@link FakeGuild}. */
    public static final class Builder {
        private final long id;
        private final String name;
        private long ownerId;
        private final Map<Long, FakeRole> roles = new LinkedHashMap<>();
        private final Map<Long, FakeChannel> channels = new LinkedHashMap<>();
        private final Map<Long, FakeMember> members = new LinkedHashMap<>();
        private final List<Long> botRoleIds = new ArrayList<>();

        private Builder(long id, String name) {
            this.id = id;
            this.name = name;
            roles.put(id, new FakeRole(id, "@everyone", DEFAULT_EVERYONE, 0));
        }

        /** The @everyone role's permission bits (default {@link #DEFAULT_EVERYONE}). */
        public Builder everyonePermissions(long bits) {
            roles.put(id, new FakeRole(id, "@everyone", bits, 0));
            return this;
        }

        /** The @everyone role's permissions. */
        public Builder everyonePermissions(Permission... permissions) {
            return everyonePermissions(Permission.getRaw(permissions));
        }

        /** A role with the given permission bits. */
        public Builder role(long roleId, String roleName, long bits) {
            roles.put(roleId, new FakeRole(roleId, roleName, bits, roles.size()));
            return this;
        }

        /** A role with the given permissions. */
        public Builder role(long roleId, String roleName, Permission... permissions) {
            return role(roleId, roleName, Permission.getRaw(permissions));
        }

        /** A text channel with optional permission overwrites. */
        public Builder textChannel(long channelId, String channelName, Overwrite... overwrites) {
            channels.put(channelId, new FakeChannel(channelId, id, channelName, channels.size(), Arrays.asList(overwrites)));
            return this;
        }

        /** A human member with roles (ids given to {@link #role}). */
        public Builder member(long userId, String username, long... roleIds) {
            return member(FakeUser.human(userId, username), roleIds);
        }

        /** A member with roles. */
        public Builder member(FakeUser user, long... roleIds) {
            members.put(user.id(), new FakeMember(user, Arrays.stream(roleIds).boxed().toList()));
            return this;
        }

        /** The roles the bot's own member has (none by default: @everyone only). */
        public Builder botRoles(long... roleIds) {
            botRoleIds.clear();
            Arrays.stream(roleIds).forEach(botRoleIds::add);
            return this;
        }

        /** The guild owner (default: the first member added, else a made-up id). */
        public Builder owner(long userId) {
            this.ownerId = userId;
            return this;
        }

        public FakeGuild build() {
            long owner = ownerId != 0 ? ownerId
                    : members.keySet().stream().findFirst().orElse(id + 1);
            for (FakeMember m : members.values()) {
                for (long r : m.roleIds()) {
                    if (!roles.containsKey(r)) {
                        throw new IllegalStateException("member " + m.user().id() + " has unknown role " + r);
                    }
                }
            }
            return new FakeGuild(id, name, owner, roles, channels, members, botRoleIds);
        }
    }
}
