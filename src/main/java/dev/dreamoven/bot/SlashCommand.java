package dev.dreamoven.bot;

import java.util.List;

/**
 * One slash command of the bot: its definition (what a transport registers), the parsing of its
 * options and its handler, in one class. {@link #handle} runs on the transport's thread and returns
 * within milliseconds: it validates, acknowledges, and leaves database and engine work to the
 * bot's worker ({@link Replies}).
 */
public interface SlashCommand {

    /** What the transport registers: name, description, options or subcommands, who may see it. */
    Definition definition();

    /**
     * Handles one interaction of this command ({@link Interaction#command()} names the subcommand).
     *
     * @throws dev.dreamoven.common.InvalidInputException with one line the user sees privately
     */
    void handle(Interaction interaction);

    /**
     * A command as a transport registers it.
     *
     * @param adminOnly shown by default only to members who may manage the server
     */
    record Definition(String name, String description, List<Option> options, List<Subcommand> subcommands,
            boolean adminOnly) {
        public Definition {
            options = List.copyOf(options);
            subcommands = List.copyOf(subcommands);
        }

        public static Definition of(String name, String description, Option... options) {
            return new Definition(name, description, List.of(options), List.of(), false);
        }
    }

    /** A subcommand, e.g. {@code /bake add}. */
    record Subcommand(String name, String description, List<Option> options) {
        public Subcommand {
            options = List.copyOf(options);
        }

        public static Subcommand of(String name, String description, Option... options) {
            return new Subcommand(name, description, List.of(options));
        }
    }

    /**
     * An autocomplete suggestion: what the user sees and the value the command then receives (Discord allows
     * {@value #MAX_LENGTH} characters for each, and {@value #MAX_CHOICES} suggestions).
     */
    record Choice(String name, String value) {
        public static final int MAX_LENGTH = 100;
        public static final int MAX_CHOICES = 25;

        public Choice {
            if (name.isEmpty() || name.length() > MAX_LENGTH || value.isEmpty() || value.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("a choice's name and value have 1 to 100 characters");
            }
        }

        public static Choice of(String value) {
            return new Choice(value, value);
        }
    }

    /** The kinds of option a command takes. */
    enum Type { TEXT, INTEGER, FILE }

    /**
     * One option. Transports enforce what they can of it (Discord: lengths, ranges, choices); the
     * command checks everything again.
     *
     * @param maxLength 0 for none
     * @param min ignored unless {@code max > min}
     * @param choices the only values allowed; empty for any
     */
    record Option(Type type, String name, String description, boolean required, boolean autocomplete, int maxLength,
            long min, long max, List<String> choices) {
        public Option {
            choices = List.copyOf(choices);
        }

        public static Option text(String name, String description) {
            return new Option(Type.TEXT, name, description, false, false, 0, 0, 0, List.of());
        }

        public static Option integer(String name, String description, long min, long max) {
            return new Option(Type.INTEGER, name, description, false, false, 0, min, max, List.of());
        }

        public static Option file(String name, String description) {
            return new Option(Type.FILE, name, description, false, false, 0, 0, 0, List.of());
        }

        public Option asRequired() {
            return new Option(type, name, description, true, autocomplete, maxLength, min, max, choices);
        }

        public Option withAutocomplete() {
            return new Option(type, name, description, required, true, maxLength, min, max, choices);
        }

        public Option withMaxLength(int length) {
            return new Option(type, name, description, required, autocomplete, length, min, max, choices);
        }

        public Option withChoices(List<String> values) {
            return new Option(type, name, description, required, autocomplete, maxLength, min, max, values);
        }

        public boolean hasRange() {
            return max > min;
        }
    }
}
