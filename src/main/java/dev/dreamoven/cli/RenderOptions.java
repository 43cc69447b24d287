package dev.dreamoven.cli;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.bake.Oven;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.settings.Settings;
import dev.dreamoven.image.AtomicFiles;
import dev.dreamoven.image.GifFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every picture-making command shares (dream, microwave): how to dream, the seed and the files. */
final class RenderOptions {

    @Mixin
    DreamOptions dream;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: a new one, printed).")
    Long seed;

    @Option(names = "--out", paramLabel = "FILE.png", description = "Where to write the picture (default: dream.png).")
    Path out = Path.of("dream.png");

    @Option(names = "--gif", paramLabel = "FILE.gif", description = "Also write a timelapse GIF.")
    Path gif;

    /** Applies the model choice before anything loads. */
    Settings configure(Settings settings) {
        return dream.configure(settings);
    }

    /** Refuses bad options before the model loads. */
    void validate() {
        dream.validate();
        checkOutput(out, ".png");
        if (gif != null) {
            checkOutput(gif, ".gif");
        }
    }

    private static void checkOutput(Path file, String extension) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (!name.toLowerCase(Locale.ROOT).endsWith(extension)) {
            throw new InvalidInputException("output " + file + " must end with " + extension);
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidInputException("folder of " + file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("output " + file + " is a folder");
        }
    }

    /** The recipe of {@code request} with the detail group, if any. */
    Oven.Recipe recipe(Oven oven, DreamRequest request) {
        return dream.recipe(oven, request);
    }

    DreamRequest request(String prompt, DreamRequest.Mode mode) {
        long s = seed != null ? seed : new SecureRandom().nextLong() & 0xffffffffL;
        return dream.request(prompt, mode, s, null);
    }

    /** Writes the picture (and the timelapse) atomically: a failure leaves no partial file. */
    void write(Oven.Cooked cooked) {
        try {
            AtomicFiles.write(out, cooked.png());
            if (gif != null) {
                GifFiles.write(gif, cooked.timelapse(), 80, true);
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }
}
