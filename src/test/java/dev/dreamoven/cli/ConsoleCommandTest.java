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

    @Test
    void repliesThatDiscordShowsOnlyToTheUserArePrivateAndIgnoredReactionsAreExplained() {
        String transcript = run(
                "/dream prompt:\"a red circle\" seed:3",
                "wait",
                "/cancel 99",
                "react 1 🔁",
                "as bob react 2 ❌",
                "react 2 👍",
                "/help");
        assertThat(transcript).contains("[only you] There is no job #99.").doesNotContain("[message 3] There is no job #99");
        assertThat(transcript).contains("[only you] Message 1 is not one of my pictures; react on a result.");
        assertThat(transcript).contains("[only you] Only <@console>, who asked for it, may delete message 2.");
        assertThat(transcript).contains("[only you] I only act on 🔁 (dream it again with a new seed) and ❌");
        assertThat(transcript).contains("/dream [prompt] [negative] [size] [steps] [seed] [palette] [preset] - ")
                .contains("/bake add").contains("react <message-id>").contains("wait - until the queue is empty");
        assertThat(transcript).doesNotContain("[message 2 deleted]");
    }

    @Test
    void messageIdsGoOnAcrossSessionsInTheSameFolder() throws Exception {
        String first = run("/dream prompt:\"a red circle\" seed:3", "wait");
        assertThat(first).contains("[message 2] 🖼️");
        String second = run("/dream prompt:\"a blue square\" seed:4", "wait");
        assertThat(second).contains("[message 3] ⏳").contains("[message 4] 🖼️").doesNotContain("[message 1]")
                .doesNotContain("[message 2]");
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("message-")))
                    .as("the second session's pictures overwrite none of the first's").containsExactlyInAnyOrder(
                            "message-1-preview-1.png", "message-2-dream-1-seed3.png", "message-3-preview-2.png",
                            "message-4-dream-2-seed4.png");
        }
    }

    /** The console's option reader is linear: the backtracking regex it replaced took 85 s for this line. */
    @Test
    void anEightyThousandCharacterLineIsReadInWellUnderASecond() {
        ConsoleChat chat = new ConsoleChat(new PrintWriter(new StringWriter()), dir, true);
        chat.register(java.util.List.of(dev.dreamoven.bot.SlashCommand.Definition.of("dream", "Dream",
                dev.dreamoven.bot.SlashCommand.Option.text("prompt", "What"),
                dev.dreamoven.bot.SlashCommand.Option.integer("size", "Side", 16, 256))));
        String word = "a".repeat(80_000);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            long start = System.nanoTime();
            assertThat(chat.command("/dream " + word, "ann").option("prompt")).hasValue(word);
            assertThat(chat.command("/dream prompt:\"" + word + "\" size:32", "ann").option("prompt")).hasValue(word);
            assertThat(chat.command("/dream size:32 prompt:" + word, "ann").option("size")).hasValue("32");
            assertThat(chat.command("/dream " + "b:".repeat(40_000), "ann").option("prompt")).isPresent();
            assertThat(System.nanoTime() - start).as("nanoseconds for four 80,000-character lines")
                    .isLessThan(1_000_000_000L);
        });
    }

    @Test
    void waitReturnsSayingWhyWhenTheWorkerCannotGoOn() throws Exception {
        try (dev.dreamoven.store.Database db = dev.dreamoven.store.Database.open(dir.resolve("w.db"))) {
            dev.dreamoven.render.RenderEngine noRoom = new dev.dreamoven.render.RenderEngine() {
                @Override
                public void load() throws java.io.IOException {
                    throw new java.io.IOException("No space left on device");
                }

                @Override
                public dev.dreamoven.render.RenderOutcome render(dev.dreamoven.render.RenderJob job,
                        dev.dreamoven.render.RenderProgress progress) {
                    throw new AssertionError("never loaded");
                }
            };
            try (dev.dreamoven.render.RenderQueue q = new dev.dreamoven.render.RenderQueue(db, noRoom,
                    new dev.dreamoven.render.RenderQueue.Settings(10, 3, dir.resolve("results"), 2, 1000, 50, 400),
                    java.time.Clock.systemUTC())) { // closed however the test ends: no worker outlives it
                q.start(dev.dreamoven.render.JobEvents.NONE);
                q.submit(dev.dreamoven.render.JobKind.DREAM, "ann", dev.dreamoven.render.JobOrigin.none(),
                        dev.dreamoven.dream.DreamRequest.of("a red circle", 1));
                StringWriter said = new StringWriter();
                org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                        () -> ConsoleCommand.awaitIdle(q, new PrintWriter(said)));
                assertThat(said.toString()).startsWith("[console] stopped waiting: the render engine cannot load its model: "
                        + "the disk is full");
            }
        }
    }
}
