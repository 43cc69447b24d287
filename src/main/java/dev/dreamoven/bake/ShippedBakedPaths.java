package dev.dreamoven.bake;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The baked paths that come with Dream Oven (the repository's {@code baked/} folder, built into
 * the jar under {@value #RESOURCE}). A baked folder that does not exist yet starts with a copy of
 * them, so the shipped prompts microwave wherever the jar runs; an existing folder is left as it
 * is (a shipped path its owner deleted stays deleted).
 */
public final class ShippedBakedPaths {

    static final String RESOURCE = "shipped/baked";

    private ShippedBakedPaths() {
    }

    /**
     * Creates {@code folder} with the shipped paths in it if it does not exist.
     *
     * @return how many paths were copied (0 when the folder existed)
     */
    public static int seedNewFolder(Path folder) throws IOException {
        if (Files.exists(folder)) {
            return 0;
        }
        Files.createDirectories(folder);
        URL root = ShippedBakedPaths.class.getClassLoader().getResource(RESOURCE);
        if (root == null) {
            return 0;
        }
        URI uri;
        try {
            uri = root.toURI();
        } catch (URISyntaxException e) {
            throw new IOException("cannot read the shipped baked paths at " + root, e);
        }
        if (uri.getScheme().equals("jar")) {
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return copy(jar.provider().getPath(uri), folder);
            }
        }
        return copy(Path.of(uri), folder);
    }

    private static int copy(Path from, Path to) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(from)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(BakedPathFile.SUFFIX)).sorted().toList();
        }
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                Files.copy(in, to.resolve(f.getFileName().toString()));
            }
        }
        return files.size();
    }
}
