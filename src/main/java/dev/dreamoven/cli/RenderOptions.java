package dev.dreamoven.cli;

import dev.dreamoven.bake.Oven;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.common.IoErrors;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.image.AtomicFiles;
import dev.dreamoven.image.GifFiles;
import dev.dreamoven.settings.Settings;
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

    @Option(names = "--seed", paramLabel = "N", description = "Random seed, 0-2^53 (default: a new one, printed).")
    Long seed;

    /** Where a picture goes without {@code --out}; an existing one is never overwritten. */
    static final Path DEFAULT_OUT = Path.of("dream.png");

    @Option(names = "--out", paramLabel = "FILE.png", description = "Where to write the picture; an existing file is "
            + "replaced (default: dream.png, or dream-2.png, dream-3.png, ... when that exists).")
    Path out;

    @Option(names = "--gif", paramLabel = "FILE.gif", description = "Also write a timelapse GIF.")
    Path gif;

    /** Applies the model choice before anything loads. */
    Settings configure(Settings settings) {
        return dream.configure(settings);
    }

    /**
     * Refuses bad options before the model loads, with the limits every transport shares
     * ({@link DreamRequest#validate}), and makes sure the picture can be written where it goes.
     */
    void validate(DreamRequest request) {
        dream.validate();
        request.validate();
        if (out == null) {
            out = firstFree(DEFAULT_OUT);
        }
        checkOutput(out, ".png");
        if (gif != null) {
            checkOutput(gif, ".gif");
        }
    }

    /** {@code dream.png}, else {@code dream-2.png}, {@code dream-3.png}, …: never an existing file. */
    static Path firstFree(Path file) {
        if (!Files.exists(file)) {
            return file;
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        for (int n = 2; ; n++) {
            Path candidate = file.resolveSibling(name.substring(0, dot) + "-" + n + name.substring(dot));
            if (!Files.exists(candidate)) {
                return candidate;
            }
        }
    }

    /** The file name, its folder, and a trial write there: a dream never ends in "cannot write". */
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
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new InvalidInputException("cannot write " + file + ": permission denied");
        }
        try {
            Path probe = Files.createTempFile(dir, ".dreamoven-write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + file + " in " + dir + ": " + IoErrors.reason(e), e);
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
            throw new InvalidInputException("cannot write " + out + ": " + IoErrors.reason(e), e);
        }
    }
}
