package dev.dreamoven.lab.fakediscord;

import dev.dreamoven.cli.AppCommand;
import dev.dreamoven.cli.Services;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fake-discord}: a fake Discord on 127.0.0.1 for testing a deployment of {@code serve} without Discord. It
 * prints the environment to start {@code serve} with; then either runs the main journeys against it and prints
 * one line per check ({@code --check}), or takes commands on stdin and prints what the bot sends.
 */
@Command(name = "fake-discord", mixinStandardHelpOptions = true,
        description = {"A fake Discord on 127.0.0.1 (REST + gateway) to test a deployment of serve against.",
            "Prints the environment for serve; with --check it then runs the main journeys and exits 0 when all pass; "
                    + "without, it reads lines like '/dream a red circle', 'as bob /dream a cat', "
                    + "'react <message-id> 🔁 as bob', 'quit' and prints every request the bot makes."})
public final class FakeDiscordCommand implements AppCommand {

    private static final String RERUN = "🔁";
    private static final String DELETE = "❌";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--check", description = "Run the journeys once serve is logged in, print the results, exit.")
    boolean check;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait for serve to log in, and for each step (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    private final long guild = Snowflakes.next();
    private final long channel = Snowflakes.next();
    private final long alice = Snowflakes.next();
    private final long bob = Snowflakes.next();

    @Override
    public int run(Services services) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (FakeDiscord fake = FakeDiscord.builder().ackDeadline(Duration.ofSeconds(3))
                .guild(FakeGuild.builder(guild, "Dream Oven test").member(alice, "alice").member(bob, "bob")
                        .textChannel(channel, "dreams").build())
                .start()) {
            out.println("fake Discord on 127.0.0.1; start serve with:");
            out.println("  DISCORD_TOKEN=" + fake.token() + " DREAMOVEN_DISCORD_API_URL=" + fake.apiBaseUrl()
                    + " DREAMOVEN_DISCORD_GATEWAY_URL=" + fake.gatewayUrl() + " DREAMOVEN_DISCORD_GUILDS=" + guild
                    + " DREAMOVEN_DISCORD_ADMIN_GUILD=" + guild + " java -jar dreamoven.jar serve");
            out.println("waiting for serve to log in…");
            out.flush();
            Duration timeout = Duration.ofSeconds(timeoutSeconds);
            fake.awaitRequest(r -> r.method().equals("PUT") && r.path().endsWith("/commands"), timeout);
            out.println("serve is logged in and registered its commands");
            out.flush();
            return check ? new Journeys(fake, out, timeout).run() : interactive(fake, out);
        }
    }

    /** Commands from stdin as alice (or {@code as bob}); every request the bot makes is printed. */
    private int interactive(FakeDiscord fake, PrintWriter out) throws Exception {
        Thread printer = new Thread(() -> {
            int seen = 0;
            while (!Thread.currentThread().isInterrupted()) {
                List<RecordedRequest> all = fake.requests().all();
                for (RecordedRequest r : all.subList(seen, all.size())) {
                    out.println("  bot: " + r);
                }
                seen = all.size();
                out.flush();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fake-discord-printer");
        printer.setDaemon(true);
        printer.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.strip().equals("quit")) {
            String l = line.strip();
            long user = alice;
            if (l.startsWith("as bob ")) {
                user = bob;
                l = l.substring("as bob ".length()).strip();
            }
            if (l.endsWith(" as bob")) {
                user = bob;
                l = l.substring(0, l.length() - " as bob".length()).strip();
            }
            String[] words = l.split("\\s+", 3);
            if (words[0].equals("/dream") && words.length > 1) {
                fake.slashCommand(SlashCommand.named("dream").option("prompt", l.substring("/dream".length()).strip())
                        .in(guild, channel).by(user));
            } else if (words[0].equals("/queue") || words[0].equals("/cancel")) {
                fake.slashCommand(SlashCommand.named(words[0].substring(1)).in(guild, channel).by(user));
            } else if (words[0].equals("react") && words.length == 3) {
                fake.addReaction(channel, Long.parseLong(words[1]), user, words[2]);
            } else if (!l.isEmpty()) {
                out.println("lines: /dream PROMPT, /queue, /cancel, react MESSAGE-ID EMOJI, 'as bob' before or after, quit");
                out.flush();
            }
        }
        printer.interrupt();
        return 0;
    }

    /** The main journeys, each step a line "ok …" or "FAIL …". */
    private final class Journeys {
        private final FakeDiscord fake;
        private final PrintWriter out;
        private final Duration timeout;
        private int failed;

        Journeys(FakeDiscord fake, PrintWriter out, Duration timeout) {
            this.fake = fake;
            this.out = out;
            this.timeout = timeout;
        }

        int run() {
            FakeInteraction dream = fake.slashCommand(SlashCommand.named("dream").option("prompt", "a red circle")
                    .option("seed", 1L).in(guild, channel).by(alice));
            String hook = "/webhooks/" + fake.applicationId() + "/" + dream.token();
            Predicate<RecordedRequest> ofDream = r -> r.path().equals(hook) || r.path().startsWith(hook + "/");
            step("/dream is acknowledged within 3 s", () -> {
                RecordedRequest ack = fake.awaitRequest("POST", "/interactions/" + dream.id() + "/*/callback", timeout);
                return ack.succeeded() && Duration.between(dream.dispatchedAt(), ack.at()).toMillis() < 3000;
            });
            step("a preview is edited into the reply", () -> fake.awaitRequest(ofDream.and(r -> r.method().equals("PATCH")
                    && r.files().stream().anyMatch(f -> f.filename().startsWith("preview-"))), timeout).succeeded());
            RecordedRequest[] upload = new RecordedRequest[1];
            step("the PNG is uploaded with prompt, seed and mode", () -> {
                upload[0] = fake.awaitRequest(ofDream.and(r -> r.method().equals("POST") && png(r)), timeout);
                String text = upload[0].jsonObject().get("content").getAsString();
                return upload[0].succeeded() && text.contains("a red circle") && text.contains("seed 1")
                        && text.contains("mode:");
            });
            FakeMessage result = fake.messages().stream().filter(m -> m.interactionId() == dream.id()
                    && m.attachments().stream().anyMatch(FakeAttachment::isPng) && !m.loading()).findFirst().orElse(null);
            if (result == null) {
                return finish();
            }
            step("🔁 from another member posts a second result", () -> {
                fake.awaitRequest(r -> r.method().equals("PUT") && r.path().contains("/messages/" + result.id()
                        + "/reactions/"), timeout);
                fake.addReaction(channel, result.id(), bob, RERUN);
                return fake.awaitRequest(r -> r.is("POST", "/channels/" + channel + "/messages") && png(r)
                        && r.jsonObject().get("content").getAsString().contains("<@" + bob + ">"), timeout).succeeded();
            });
            String delete = "/channels/" + channel + "/messages/" + result.id();
            step("❌ from another member does nothing", () -> {
                fake.addReaction(channel, result.id(), bob, DELETE);
                return fake.requests().noneWithin(r -> r.is("DELETE", delete), Duration.ofSeconds(2)).isEmpty();
            });
            step("❌ from the requester deletes the result", () -> {
                fake.addReaction(channel, result.id(), alice, DELETE);
                return fake.awaitRequest("DELETE", delete, timeout).succeeded();
            });
            step("a refusal is ephemeral", () -> {
                FakeInteraction bad = fake.slashCommand(SlashCommand.named("dream").option("prompt", "x")
                        .option("size", 8L).in(guild, channel).by(alice));
                RecordedRequest ack = fake.awaitRequest("POST", "/interactions/" + bad.id() + "/*/callback", timeout);
                return (ack.jsonObject().getAsJsonObject("data").get("flags").getAsInt() & 64) == 64;
            });
            return finish();
        }

        private boolean png(RecordedRequest r) {
            return r.files().stream().anyMatch(f -> f.filename().toLowerCase(Locale.ROOT).endsWith(".png")
                    && f.filename().startsWith("dream-"));
        }

        private void step(String what, java.util.function.BooleanSupplier check) {
            boolean ok;
            String why = "";
            try {
                ok = check.getAsBoolean();
            } catch (RuntimeException | AssertionError e) {
                ok = false;
                why = ": " + e.getMessage().lines().findFirst().orElse("");
            }
            if (!ok) {
                failed++;
            }
            out.println((ok ? "ok    " : "FAIL  ") + what + why);
            out.flush();
        }

        private int finish() {
            out.println(failed == 0 ? "fake-discord: all journeys passed" : "fake-discord: " + failed + " failed");
            out.flush();
            return failed == 0 ? 0 : 1;
        }
    }
}
