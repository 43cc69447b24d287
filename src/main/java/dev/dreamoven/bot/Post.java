package dev.dreamoven.bot;

/**
 * A message the bot writes: text and at most one picture.
 *
 * @param png the picture, or null
 * @param fileName the picture's file name, or null
 */
public record Post(String text, byte[] png, String fileName) {
    public static Post text(String text) {
        return new Post(text, null, null);
    }

    public boolean hasPicture() {
        return png != null;
    }
}
