package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;

/**
 * A slash command invocation to inject with {@link FakeDiscord#slashCommand}: command name, options, where and
 * by whom. The interaction id is fresh unless {@link #issuedAt} or {@link #interactionId} date it elsewhere
 * (16 minutes back gives a token that is already expired).
 */
public final class SlashCommand {

    final String name;
    final JsonArray options = new JsonArray();
    long guildId;
    long channelId;
    long userId;
    long interactionId;
    long commandId;

    private SlashCommand(String name) {
        this.name = name;
    }

    /** {@code /name} with no options yet. */
    public static SlashCommand named(String name) {
        return new SlashCommand(name);
    }

    /** Where: guild and text channel. */
    public SlashCommand in(long guild, long channel) {
        this.guildId = guild;
        this.channelId = channel;
        return this;
    }

    /** Who: the invoking member's user id (must be a member of the guild). */
    public SlashCommand by(long user) {
        this.userId = user;
        return this;
    }

    /** A string option (type 3). */
    public SlashCommand option(String optionName, String value) {
        options.add(option(optionName, 3, value));
        return this;
    }

    /** An integer option (type 4). */
    public SlashCommand option(String optionName, long value) {
        JsonObject o = new JsonObject();
        o.addProperty("name", optionName);
        o.addProperty("type", 4);
        o.addProperty("value", value);
        options.add(o);
        return this;
    }

    /** A boolean option (type 5). */
    public SlashCommand option(String optionName, boolean value) {
        JsonObject o = new JsonObject();
        o.addProperty("name", optionName);
        o.addProperty("type", 5);
        o.addProperty("value", value);
        options.add(o);
        return this;
    }

    /** A number option (type 10). */
    public SlashCommand option(String optionName, double value) {
        JsonObject o = new JsonObject();
        o.addProperty("name", optionName);
        o.addProperty("type", 10);
        o.addProperty("value", value);
        options.add(o);
        return this;
    }

    /**
     * A subcommand (type 1) whose options are the ones added so far to {@code inner}; e.g.
     * {@code named("bake").subcommand(named("add").option("prompt", "x"))}.
     */
    public SlashCommand subcommand(SlashCommand inner) {
        JsonObject o = new JsonObject();
        o.addProperty("name", inner.name);
        o.addProperty("type", 1);
        o.add("options", inner.options.deepCopy());
        options.add(o);
        return this;
    }

    /** The interaction id (its timestamp drives the 15-minute token expiry in JDA and in the fake). */
    public SlashCommand interactionId(long id) {
        this.interactionId = id;
        return this;
    }

    /** Dates the interaction id at {@code instant} (e.g. 16 minutes ago: the token has already expired). */
    public SlashCommand issuedAt(Instant instant) {
        this.interactionId = Snowflakes.datedAt(instant);
        return this;
    }

    /** The registered command's id (default: the id the fake gave a registered command of that name, or fresh). */
    public SlashCommand commandId(long id) {
        this.commandId = id;
        return this;
    }

    private static JsonObject option(String name, int type, String value) {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("type", type);
        o.addProperty("value", value);
        return o;
    }
}
