package dev.dreamoven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.app.Main;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.render.JobKind;
import dev.dreamoven.render.JobOrigin;
import dev.dreamoven.render.JobStatus;
import dev.dreamoven.render.PlaceholderEngine;
import dev.dreamoven.render.RenderQueue;
import dev.dreamoven.store.Database;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

    @TempDir
    Path dir;

    private String serve(Map<String, String> env, String... args) throws Exception {
        Path config = dir.resolve("test.properties");
        Files.writeString(config, "discord.token-file=" + dir.resolve("token").toString().replace('\\', '/') + "\n"
                + "model.checkpoint=" + dir.resolve("missing.pt").toString().replace('\\', '/') + "\n"
                + "model.vocab=" + dir.resolve("missing-vocab.txt.gz").toString().replace('\\', '/') + "\n"
                + "store.database=" + dir.resolve("d.db").toString().replace('\\', '/') + "\n"
                + "store.baked=" + dir.resolve("baked").toString().replace('\\', '/') + "\n");
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(env);
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        String[] all = new String[args.length + 3];
        all[0] = "--config";
        all[1] = config.toString();
        all[2] = "serve";
        System.arraycopy(args, 0, all, 3, args.length);
        assertThat(cl.execute(all)).isEqualTo(Main.EXIT_BAD_INPUT);
        return err.toString();
    }

    @Test
    void aMissingTokenIsOneClearLine() throws Exception {
        String err = serve(Map.of());
        assertThat(err).isEqualTo("serve: no Discord token: set DISCORD_TOKEN or put the token in " + dir.resolve("token")
                + System.lineSeparator());
    }

    @Test
    void thePlaceholdersPaceIsOfferedInTheHelpAndAnImpossibleOneIsOneClearLine() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine(Map.of());
        cl.setOut(new PrintWriter(out, true));
        cl.execute("serve", "--help");
        assertThat(out.toString()).contains("--placeholder-steps=N", "(default 20)", "--placeholder-step-ms=M",
                "(default 100)");

        String err = serve(Map.of("DISCORD_TOKEN", "t"), "--engine", "placeholder", "--placeholder-steps", "0");
        assertThat(err).isEqualTo("serve: --placeholder-steps must be at least 1 and --placeholder-step-ms at least 0"
                + System.lineSeparator());
    }

    @Test
    void anUnknownRoleIsOneClearLine() throws Exception {
        String err = serve(Map.of("DISCORD_TOKEN", "t"), "--role", "oven");
        assertThat(err).isEqualTo("serve: --role must be all, bot or worker" + System.lineSeparator());
    }

    /** A worker needs no Discord and no token: it renders what a bot elsewhere queued in the shared database. */
    @Test
    void aWorkerRendersJobsQueuedByAnotherProcessWithoutAnyToken() throws Exception {
        Path config = dir.resolve("worker.properties");
        Files.writeString(config, "store.database=" + dir.resolve("shared.db").toString().replace('\\', '/') + "\n"
                + "store.results=" + dir.resolve("results").toString().replace('\\', '/') + "\n"
                + "store.baked=" + dir.resolve("baked").toString().replace('\\', '/') + "\n");
        StringWriter out = new StringWriter();
        Thread worker = new Thread(() -> {
            CommandLine cl = Main.commandLine(Map.of());
            cl.setOut(new PrintWriter(out, true));
            cl.execute("--config", config.toString(), "serve", "--role", "worker", "--engine", "placeholder",
                    "--placeholder-steps", "1", "--placeholder-step-ms", "0");
        });
        worker.start();
        try (Database db = Database.open(dir.resolve("shared.db")); RenderQueue bot = new RenderQueue(db,
                new PlaceholderEngine(1, 0), new RenderQueue.Settings(10, 10, dir.resolve("results"), 2, 1000),
                Clock.systemUTC())) {
            long id = bot.submit(JobKind.DREAM, "ann", JobOrigin.none(), DreamRequest.of("a red circle", 1)).job().id();
            long end = System.nanoTime() + 30_000_000_000L;
            while (bot.find(id).orElseThrow().status() != JobStatus.DONE) {
                assertThat(System.nanoTime()).as("the worker rendered the job").isLessThan(end);
                Thread.sleep(20);
            }
            assertThat(Path.of(bot.find(id).orElseThrow().resultPath().orElseThrow())).exists();
        } finally {
            worker.interrupt();
            worker.join(30_000);
        }
        assertThat(worker.isAlive()).isFalse();
        assertThat(out.toString()).isEqualTo("serve: the render worker takes jobs; stop it with Ctrl-C or SIGTERM"
                + System.lineSeparator());
    }

    @Test
    void theTokenIsNeverPrintedAndABrokenModelFailsBeforeLoggingIn() throws Exception {
        Files.writeString(dir.resolve("token"), "secret-token-from-file\n");
        String err = serve(Map.of());
        assertThat(err).contains("missing").doesNotContain("secret-token").doesNotContain("log in");
        String fromEnv = serve(Map.of("DISCORD_TOKEN", "secret-token-from-env"));
        assertThat(fromEnv).contains("missing").doesNotContain("secret-token").doesNotContain("log in");
    }
}
