package dev.dreamoven.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The lab's command line runs the research commands; the product's does not know them. */
class LabMainTest {

    @TempDir
    Path dir;

    private static int run(CommandLine cl, StringWriter err, String... args) {
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void theLabWritesToyWorldSamplesAndTheProductHasNoSuchCommand() {
        StringWriter err = new StringWriter();
        assertThat(run(LabMain.commandLine(Map.of()), err, "toyworld", "sample", "--out", dir.toString(), "--count", "2"))
                .as(err.toString()).isZero();
        assertThat(dir.resolve("sample-00001.png")).exists();
        assertThat(dir.resolve("captions.txt")).exists();

        StringWriter productErr = new StringWriter();
        assertThat(run(Main.commandLine(Map.of()), productErr, "toyworld", "sample", "--out", dir.toString()))
                .isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(productErr.toString()).contains("Unmatched argument");
    }
}
