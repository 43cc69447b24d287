package dev.dreamoven.e2e;

import static dev.dreamoven.e2e.World.WAIT;
import static dev.dreamoven.e2e.World.uploads;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.app.Main;
import dev.dreamoven.lab.fakediscord.FakeDiscord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Logging in: how the token is read, what a failed login says, and that no job is lost by one. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServeLoginTest {

    @TempDir
    Path dir;
    private final World w = new World();

    @Test
    void aTokenWithTheBotPrefixAndATrailingLineBreakLogsIn() throws Exception {
        try (FakeDiscord fake = w.fake().start()) {
            Map<String, String> env = Serve.environment(fake);
            env.put("DISCORD_TOKEN", "Bot " + fake.token() + "\n");
            try (Serve serve = Serve.inProcess(Serve.config(dir, w.settings()), env)) {
                serve.awaitOnline(fake, 0);
                assertThat(fake.requests().all(r -> r.is("GET", "/users/@me") || r.is("GET", "/gateway/bot")))
                        .isNotEmpty().allSatisfy(r -> assertThat(r.authorized()).isTrue());
            }
        }
    }

    @Test
    void aTokenWithBlanksOrLineBreaksIsRefusedInOneLineWithoutAnyPartOfIt() throws Exception {
        String secret = "MTAxNDc1OTk5.GhIjKl.s3cr3tP4rtOfTh3T0k3n";
        String[] broken = {secret.replace(".GhIjKl.", " GhIjKl "), secret.replace(".s3cr3t", "\ns3cr3t"),
            "Bot  " + secret + "\tx"};
        for (String token : broken) {
            assertRefusedWithoutEcho(Map.of("DISCORD_TOKEN", token), secret);
        }
        Files.writeString(dir.resolve("token"), secret + "\n" + "second line " + secret + "\n");
        Files.writeString(dir.resolve("file.properties"), "discord.token-file=" + dir.resolve("token").toString()
                .replace('\\', '/') + "\n");
        assertRefusedWithoutEcho(Map.of("DREAMOVEN_CONFIG", dir.resolve("file.properties").toString()), secret);
    }

    private void assertRefusedWithoutEcho(Map<String, String> environment, String secret) {
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("DREAMOVEN_STORE_DATABASE", dir.resolve("db/d.db").toString());
        PrintStream saved = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        java.io.StringWriter err = new java.io.StringWriter();
        int code;
        try {
            System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
            picocli.CommandLine cl = Main.commandLine(env);
            cl.setErr(new java.io.PrintWriter(err, true));
            cl.setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));
            code = cl.execute("serve", "--engine", "placeholder");
        } finally {
            System.setErr(saved);
        }
        String everything = err + logs.toString(StandardCharsets.UTF_8);
        assertThat(code).as(everything).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString().strip()).as("one line").doesNotContain("\n").startsWith("serve: ")
                .contains("token");
        for (int at = 0; at + 4 <= secret.length(); at++) {
            assertThat(everything).as("no part of the token").doesNotContain(secret.substring(at, at + 4));
        }
    }

    @Test
    void anUnreachableDiscordIsOneClearLineAndExitCodeOne() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>();
        env.put("DISCORD_TOKEN", "MTAx.some.token");
        env.put("DREAMOVEN_DISCORD_API_URL", "http://127.0.0.1:" + closed + "/api/v10/");
        env.put("DREAMOVEN_DISCORD_GATEWAY_URL", "ws://127.0.0.1:" + closed + "/");
        Serve unreachable = Serve.inProcess(Serve.config(dir, w.settings()), env);
        assertThat(unreachable.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(unreachable.output()).startsWith("serve: could not log in to Discord: ")
                .doesNotContain("MTAx", "some.token").hasLineCount(1);
    }

    @Test
    void aRejectedTokenIsOneClearLineAndLosesNoJob() throws Exception {
        try (FakeDiscord fake = w.fake().start()) {
            Path config = Serve.config(dir, w.settings());
            w.dreamStoppedMidRender(fake, config, w.alice, "a green square", 2);
            Map<String, String> wrong = Serve.environment(fake);
            wrong.put("DISCORD_TOKEN", "not.the.token");
            Serve refused = Serve.inProcess(config, wrong);
            assertThat(refused.awaitExit(Duration.ofSeconds(40))).isEqualTo(Main.EXIT_BAD_INPUT);
            assertThat(refused.output()).isEqualTo(
                    "serve: Discord rejected the bot token (check DISCORD_TOKEN or discord.token-file)"
                            + System.lineSeparator());
            assertThat(Serve.queryText(dir, "SELECT status FROM jobs WHERE id = 1")).isIn("queued", "done");

            long mark = fake.requests().size() - 1;
            try (Serve again = Serve.inProcess(config, Serve.environment(fake)).awaitOnline(fake, mark)) {
                assertThat(fake.awaitRequest(r -> r.seq() > mark && uploads("dream-1-seed2").test(r), WAIT)
                        .succeeded()).isTrue();
            }
        }
    }
}
