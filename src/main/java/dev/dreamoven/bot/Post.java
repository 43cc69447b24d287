package dev.dreamoven.bot;

import java.util.Objects;
import java.util.Optional;

/**
 * A message the bot writes: text and at most one picture.
 *
 * @param png the picture, or null
 * @param fileName the picture's file name, or null
 * @param nonce makes a channel post idempotent: the transport asks the chat to return the message it already made
 *     with this key (Discord: {@code nonce} with {@code enforce_nonce}, remembered a few minutes) instead of
 *     making a second one; at most {@link #MAX_NONCE_LENGTH} characters
 */
public record Post(String text, byte[] png, String fileName, Optional<String> nonce) {

    /** Discord refuses a longer nonce. */
    public static final int MAX_NONCE_LENGTH = 25;

    public Post {
        Objects.requireNonNull(nonce, "nonce");
        nonce.ifPresent(n -> {
            if (n.isEmpty() || n.length() > MAX_NONCE_LENGTH) {
                throw new IllegalArgumentException("a nonce has 1 to " + MAX_NONCE_LENGTH + " characters: '" + n + "'");
            }
        });
    }

    public Post(String text, byte[] png, String fileName) {
        this(text, png, fileName, Optional.empty());
    }

    public static Post text(String text) {
        return new Post(text, null, null);
    }

    /** The same message, posted at most once per {@code nonce} where the transport can (see {@link #nonce}). */
    public Post withNonce(String nonce) {
        return new Post(text, png, fileName, Optional.of(nonce));
    }

    public boolean hasPicture() {
        return png != null;
    }
}
