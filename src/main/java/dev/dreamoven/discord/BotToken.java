package dev.dreamoven.discord;

import dev.dreamoven.common.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The bot token as an operator pastes it: a leading {@code Bot } and surrounding blanks and line breaks are
 * dropped; a token that still has a blank or a line break inside is refused. No message ever shows any part
 * of a token.
 */
public final class BotToken {

    private static final String PREFIX = "bot ";
    /** Pieces of a token this long or longer are hidden from messages. */
    private static final int SECRET_PIECE = 4;

    private BotToken() {
    }

    /**
     * The token to log in with.
     *
     * @param source where it came from, for the message ("DISCORD_TOKEN", "the token file x")
     * @throws InvalidInputException (without the token) when it is empty or has blanks or line breaks inside
     */
    public static String clean(String raw, String source) {
        String t = raw == null ? "" : raw.strip();
        if (t.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            t = t.substring(PREFIX.length()).strip();
        }
        if (t.isEmpty()) {
            throw new InvalidInputException("the Discord token in " + source + " is empty");
        }
        if (t.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c))) {
            throw new InvalidInputException("the Discord token in " + source + " has a blank or a line break inside "
                    + "it; a token is one word (copy it again from the developer portal; a leading \"Bot \" is fine)");
        }
        return t;
    }

    /** {@code message} with the token and every piece of it (split at dots and blanks) replaced by {@code <token>}. */
    public static String scrub(String message, String token) {
        if (message == null || token == null || token.isEmpty()) {
            return message;
        }
        String out = message.replace(token, "<token>");
        for (String piece : Arrays.stream(token.split("[.\\s]+")).filter(p -> p.length() >= SECRET_PIECE)
                .sorted((a, b) -> b.length() - a.length()).toList()) {
            out = out.replace(piece, "<token>");
        }
        return out;
    }
}
