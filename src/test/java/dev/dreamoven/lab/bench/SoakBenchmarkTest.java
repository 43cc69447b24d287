package dev.dreamoven.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small soak: console processes killed at random while they take and render jobs lose, repeat and refuse nothing. */
@Tag("slow")
class SoakBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void randomKillsLoseDuplicateRefuseAndStrandNothing() throws Exception {
        StringWriter log = new StringWriter();
        SoakBenchmark.Figures f = new SoakBenchmark(dir, 150, 15, 3, 700, new PrintWriter(log)).run();
        assertThat(f.kills()).as(log.toString()).isGreaterThanOrEqualTo(3);
        assertThat(new int[] {f.lost(), f.duplicated(), f.refused(), f.stuck()}).as(log.toString())
                .containsOnly(0);
    }
}
