package dev.dreamoven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.app.Main;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A console transcript: lines in, the bot's messages and picture files out. */
class ConsoleCommandTest {

    @TempDir
    Path dir;

    private String run(String... lines) {
        InputStream stdin = System.in;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            System.setIn(new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)));
            CommandLine cl = Main.commandLine(Map.of());
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute("console", "--engine", "placeholder", "--out", dir.toString(), "--seed", "5",
                    "--placeholder-step-ms", "50");
            assertThat(code).as("exit code; stderr: " + err).isZero();
        } finally {
            System.setIn(stdin);
        }
        return out.toString();
    }

    @Test
    void aSessionDreamsRerunsRefusesAndWritesPictures() throws Exception {
        String transcript = run(
                "/dream prompt:\"a red circle\" size:32 seed:3",
                "wait",
                "react 2 🔁",
                "wait",
                "/dream size:8 prompt:\"too small\"",
                "/dream",
                "/bake add a blue square",
                "/queue",
                "/cancel",
                "as bob react 2 ❌",
                "react 2 ❌",
                "/frobnicate");

        // the first dream: acknowledged with its position, finished as message 2 with a 🔁
        assertThat(transcript).contains("[message 1] ⏳ <@console> dream **a red circle** is job #1, position 1");
        Matcher result = Pattern.compile("\\[message 2\\] 🖼️ <@console> \\*\\*a red circle\\*\\*\\nseed 3 · mode: normal"
                + ".*job #1  \\[picture: (\\S+)\\]").matcher(transcript);
        assertThat(result.find()).as(transcript).isTrue();
        assertThat(Files.size(Path.of(result.group(1)))).isPositive();
        assertThat(transcript).contains("[message 2] + 🔁");
        // the rerun: same prompt, new seed, posted to the channel
        assertThat(transcript).containsPattern("dream \\*\\*a red circle\\*\\* is job #2, position 1 in the queue \\(seed \\d+\\)");
        assertThat(transcript).containsPattern("<@console> \\*\\*a red circle\\*\\*\\nseed (?!3 )\\d+ .*job #2");
        // refusals are private
        assertThat(transcript).contains("[only you] size must be from 16 to 256 (got 8).");
        assertThat(transcript).contains("[only you] Please give a prompt (what to dream).");
        assertThat(transcript).contains("[only you] unknown command: /frobnicate");
        // a bake is queued, listed, and cancelled by /cancel (the newest job)
        assertThat(transcript).contains("bake of **a blue square** is job #3");
        assertThat(transcript).containsPattern("#3 bake \"a blue square\" \\(you\\)");
        assertThat(transcript).containsPattern("(Cancelled|Stopping) job #3");
        assertThat(transcript).contains("Bake of **a blue square** (job #3) was cancelled.");
        // only the requester deletes
        assertThat(transcript).containsOnlyOnce("[message 2 deleted]");
        assertThat(Files.list(dir.resolve("results")).count()).isEqualTo(2);
    }
}
