package dev.dreamoven.common;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/** The reason of an I/O failure in the words of the operating system, for one-line messages. */
public final class IoErrors {

    private IoErrors() {
    }

    /** "permission denied", "no such file or directory", "no space left on device", … */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(Locale.ROOT);
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
    }
}
