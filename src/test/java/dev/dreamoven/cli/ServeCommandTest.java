package dev.dreamoven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void theTokenIsNeverPrintedAndABrokenModelFailsBeforeLoggingIn() throws Exception {
        Files.writeString(dir.resolve("token"), "secret-token-from-file\n");
        String err = serve(Map.of());
        assertThat(err).contains("missing").doesNotContain("secret-token").doesNotContain("log in");
        String fromEnv = serve(Map.of("DISCORD_TOKEN", "secret-token-from-env"));
        assertThat(fromEnv).contains("missing").doesNotContain("secret-token").doesNotContain("log in");
    }
}
