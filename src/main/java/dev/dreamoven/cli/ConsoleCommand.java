package dev.dreamoven.cli;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.bot.DreamBot;
import dev.dreamoven.bot.ResultMessages;
import dev.dreamoven.render.PlaceholderEngine;
import dev.dreamoven.render.RenderEngine;
import dev.dreamoven.render.RenderQueue;
import dev.dreamoven.store.Database;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The Discord bot without Discord: reads command lines from stdin, runs the very handlers the bot
 * runs, prints what it would post (with message ids) and writes the pictures to files.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Talk to the bot on the terminal: lines like /dream a red circle, "
                + "/dream prompt:\"a red circle\" size:32 seed:3, /bake add a blue square, /queue, /cancel, "
                + "react <message-id> 🔁, wait (until the queue is empty), /help. Prefix a line with 'as NAME' to act as "
                + "another user. Message ids go on across sessions in the same --out folder."})
public final class ConsoleCommand implements AppCommand {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/console",
            description = "Folder for pictures, results and the console's own queue database (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--engine", paramLabel = "app|placeholder", defaultValue = "app",
            description = "app: the engine this build wires in (default); placeholder: coloured blocks, no model.")
    String engine;

    @Option(names = "--placeholder-step-ms", paramLabel = "MS", defaultValue = "0",
            description = "Pause per step of the placeholder engine, to watch progress and try /cancel (default: 0).")
    long placeholderStepMillis;

    @Option(names = "--user", paramLabel = "NAME", defaultValue = "console", description = "Who you are (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the random seeds, for repeatable sessions.")
    Long seed;

    @Override
    public int run(Services services) throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        RenderEngine renderEngine = switch (engine) {
            case "placeholder" -> new PlaceholderEngine(10, Math.max(0, placeholderStepMillis));
            case "app" -> services.renderEngine();
            default -> throw new InvalidInputException("--engine must be app or placeholder");
        };
        Random seeds = seed == null ? new Random() : new Random(seed);
        boolean newDatabase = !java.nio.file.Files.exists(out.resolve("console.db"));
        try (Database db = Database.open(out.resolve("console.db"))) {
            ConsoleChat chat = new ConsoleChat(stdout, out, newDatabase);
            Services.Chat session = services.chat(db, out.resolve("results"), renderEngine, chat, Runnable::run,
                    () -> seeds.nextInt(Integer.MAX_VALUE));
            RenderQueue queue = session.queue();
            DreamBot bot = session.bot();
            ResultMessages results = new ResultMessages(db, Clock.systemUTC());
            chat.register(bot.definitions());
            queue.start(bot);
            // SIGTERM (docker stop, systemd, Ctrl-C) is a graceful stop, not a crash: the running job
            // goes back to the queue without costing an attempt.
            Thread onStop = new Thread(queue::close, "console-shutdown");
            Runtime.getRuntime().addShutdownHook(onStop);
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.strip().equals("wait")) {
                        awaitIdle(queue, stdout);
                    } else {
                        handle(line, chat, bot, results);
                    }
                }
                awaitIdle(queue, stdout);
            } finally {
                queue.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(onStop);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook runs (or ran) anyway
                }
            }
        }
        return 0;
    }

    /**
     * Why the bot will do nothing about this reaction, in words; null when it acts on it. On
     * Discord a reaction that means nothing is simply left there; on the console the user gets to
     * know.
     */
    private static String whyIgnored(ConsoleChat.Reaction r, String who, ResultMessages results) {
        if (!DreamBot.RERUN.equals(r.emoji()) && !DreamBot.DELETE.equals(r.emoji())) {
            return "I only act on " + DreamBot.RERUN + " (dream it again with a new seed) and " + DreamBot.DELETE
                    + " (delete your picture).";
        }
        Optional<ResultMessages.ResultMessage> result = results.find(r.messageId());
        if (result.isEmpty()) {
            return "Message " + r.messageId() + " is not one of my pictures; react on a result.";
        }
        if (DreamBot.DELETE.equals(r.emoji()) && !result.get().requesterId().equals(who)) {
            return "Only <@" + result.get().requesterId() + ">, who asked for it, may delete message " + r.messageId() + ".";
        }
        return null;
    }

    /**
     * Until nothing is queued or running (results are posted from the worker before it goes idle),
     * or until the worker cannot go on (a full disk): then it says why and stops waiting.
     */
    static void awaitIdle(RenderQueue queue, PrintWriter out) throws InterruptedException {
        while (!queue.idle()) {
            Optional<String> trouble = queue.trouble();
            if (trouble.isPresent()) {
                out.println("[console] stopped waiting: " + trouble.get() + "; the jobs wait and run once it is fixed");
                out.flush();
                return;
            }
            Thread.sleep(20);
        }
    }

    private void handle(String raw, ConsoleChat chat, DreamBot bot, ResultMessages results) {
        String line = raw.strip();
        String who = user;
        if (line.startsWith("as ")) {
            String[] parts = line.split("\\s+", 3);
            who = parts.length > 1 ? parts[1] : user;
            line = parts.length > 2 ? parts[2] : "";
        }
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        Optional<ConsoleChat.Reaction> reaction = ConsoleChat.reaction(line);
        try {
            if (reaction.isPresent()) {
                String ignored = whyIgnored(reaction.get(), who, results);
                if (ignored != null) {
                    chat.tell(who, ignored);
                }
                bot.onReaction(who, ConsoleChat.CHANNEL, reaction.get().messageId(), reaction.get().emoji());
            } else if (line.equals("/help")) {
                chat.tell(who, chat.help());
            } else if (line.startsWith("/")) {
                bot.onCommand(chat.command(line, who));
            } else {
                throw new InvalidInputException("lines start with / (a command) or react; got: " + line);
            }
        } catch (InvalidInputException e) {
            spec.commandLine().getOut().println("[only you] " + e.getMessage());
            spec.commandLine().getOut().flush();
        }
    }
}
