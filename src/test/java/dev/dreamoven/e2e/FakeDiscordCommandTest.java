package dev.dreamoven.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.lab.LabMain;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.BufferedReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the README tells an operator: the lab's fake-discord --check against a serve started as it prints. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FakeDiscordCommandTest {

    @TempDir
    Path dir;

    @Test
    void serveStartedWithThePrintedEnvironmentPassesTheChecks() throws Exception {
        PipedWriter sink = new PipedWriter();
        BufferedReader printed = new BufferedReader(new PipedReader(sink, 1 << 16));
        AtomicInteger code = new AtomicInteger(-1);
        Thread lab = new Thread(() -> {
            picocli.CommandLine cl = LabMain.commandLine(Map.of());
            cl.setOut(new PrintWriter(sink, true));
            cl.setErr(new PrintWriter(new StringWriter(), true));
            // 20 s a step: a step that fails says FAIL in the output below, well within the test's own timeout
            code.set(cl.execute("fake-discord", "--check", "--timeout", "20"));
            try {
                sink.close();
            } catch (java.io.IOException e) {
                // the test reads to the end
            }
        }, "fake-discord-under-test");
        lab.start();

        Map<String, String> env = new HashMap<>();
        String line;
        StringBuilder all = new StringBuilder();
        while ((line = printed.readLine()) != null && env.isEmpty()) {
            all.append(line).append('\n');
            Matcher m = Pattern.compile("([A-Z_]+)=(\\S+)").matcher(line);
            while (m.find()) {
                env.put(m.group(1), m.group(2));
            }
        }
        assertThat(env).containsKeys("DISCORD_TOKEN", "DREAMOVEN_DISCORD_API_URL", "DREAMOVEN_DISCORD_GATEWAY_URL",
                "DREAMOVEN_DISCORD_GUILDS");
        try (Serve serve = Serve.inProcess(Serve.config(dir, Map.of()), env)) {
            while ((line = printed.readLine()) != null) {
                all.append(line).append('\n');
            }
            lab.join(30_000);
        }
        assertThat(all.toString()).contains("ok    /dream is acknowledged within 3 s", "fake-discord: all journeys passed")
                .doesNotContain("FAIL");
        assertThat(code.get()).isZero();
    }
}
