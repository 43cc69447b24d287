package dev.dreamoven.testing;

import dev.dreamoven.clip.Downloads;
import java.net.URI;
import java.nio.file.Path;

/** {@code FetchMain URL SHA256 TARGET}: one download in its own process, for the cross-process lock test. */
public final class FetchMain {

    private FetchMain() {
    }

    public static void main(String[] args) {
        Path file = new Downloads(null).fetch(URI.create(args[0]), args[1], 0, Path.of(args[2]));
        System.out.println("fetched " + file);
    }
}
