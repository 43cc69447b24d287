package dev.dreamoven.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds {@code ../shared} (the golden CLIP files, seed baked paths). Tests that need it call
 * {@link #require}: where it is absent they are skipped with a visible message, except in CI
 * ({@code DREAMOVEN_REQUIRE_SHARED=true}), where its absence fails them.
 */
public final class SharedFixtures {

    private SharedFixtures() {
    }

    public static Path root() {
        String prop = System.getProperty("dreamoven.shared");
        return Path.of(prop != null ? prop : "../shared").toAbsolutePath().normalize();
    }

    /** @param relative a path inside shared/, e.g. "clip-golden/tiny-clip.pt" */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            String msg = "shared fixture " + p + " is absent";
            if (Boolean.parseBoolean(System.getenv("DREAMOVEN_REQUIRE_SHARED"))) {
                throw new AssertionError(msg + " and DREAMOVEN_REQUIRE_SHARED=true");
            }
            System.err.println("SKIPPED: " + msg);
            assumeTrue(false, msg);
        }
        return p;
    }
}
