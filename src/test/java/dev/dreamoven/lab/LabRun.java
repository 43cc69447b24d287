package dev.dreamoven.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** A lab command run through the real command line, with its state (database, baked paths) in a folder of its own. */
public record LabRun(int exit, String out, String err) {

    /** Runs {@code args} with one libtorch thread and the store in {@code state}. */
    public static LabRun run(Path state, String... args) {
        Path config = state.resolve("test.properties");
        try {
            Files.createDirectories(state);
            Files.writeString(config, "store.database=" + state.resolve("d.db").toString().replace('\\', '/') + "\n"
                    + "store.baked=" + state.resolve("baked").toString().replace('\\', '/') + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> all = new ArrayList<>(List.of("--config", config.toString(), "--threads", "1"));
        all.addAll(List.of(args));
        CommandLine cl = LabMain.commandLine(Map.of());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(all.toArray(String[]::new));
        return new LabRun(exit, out.toString(), err.toString());
    }

    /** The shipped model's weights as a file (for options that take one). */
    public static Path shippedModelFile(Path dir) {
        Path file = dir.resolve("model.safetensors");
        try (InputStream in = LabRun.class.getResourceAsStream("/models/shapes/model.safetensors")) {
            Files.copy(in, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
