package dev.dreamoven.lab.fakediscord;

import java.nio.charset.StandardCharsets;

/** One part of a multipart/form-data body: {@code payload_json} or {@code files[n]}. */
public record Part(String name, String filename, String contentType, byte[] bytes) {

    /** The part's bytes as UTF-8 text. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Whether the part is a file (it carries a filename). */
    public boolean isFile() {
        return filename != null;
    }

    @Override
    public String toString() {
        return name + (filename == null ? "" : "(" + filename + ")") + "[" + bytes.length + " B]";
    }
}
