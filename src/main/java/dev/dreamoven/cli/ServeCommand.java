package dev.dreamoven.cli;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.render.PlaceholderEngine;
import dev.dreamoven.render.RenderEngine;
import dev.dreamoven.render.RenderQueue;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the Discord bot until the process is stopped; a stop puts the running job back in the queue. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the Discord bot. The token comes from $DISCORD_TOKEN or the file discord.token-file.")
public final class ServeCommand implements AppCommand {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--engine", paramLabel = "app|placeholder", defaultValue = "app",
            description = "app: the engine this build wires in (default); placeholder: coloured blocks, no model.")
    String engine;

    @Option(names = "--role", paramLabel = "all|bot|worker", defaultValue = "all",
            description = "all: the bot and the render worker in this process (default). With several hosts on one "
                    + "database (store.url): bot = Discord only, worker = renders only (no Discord, no token).")
    String role;

    @Option(names = "--placeholder-steps", paramLabel = "N", defaultValue = "20",
            description = "With --engine placeholder: steps of one picture (default ${DEFAULT-VALUE}).")
    int placeholderSteps;

    @Option(names = "--placeholder-step-ms", paramLabel = "M", defaultValue = "100",
            description = "With --engine placeholder: milliseconds one step takes (default ${DEFAULT-VALUE}); "
                    + "a slower oven keeps dreams waiting longer, e.g. to watch the queue move.")
    long placeholderStepMs;

    @Override
    public int run(Services services) throws Exception {
        RenderQueue.Role queueRole = switch (role) {
            case "all" -> RenderQueue.Role.ALL;
            case "bot" -> RenderQueue.Role.BOT;
            case "worker" -> RenderQueue.Role.WORKER;
            default -> throw new InvalidInputException("--role must be all, bot or worker");
        };
        String token = queueRole == RenderQueue.Role.WORKER ? null : services.discordToken();
        RenderEngine renderEngine = switch (engine) {
            case "placeholder" -> {
                if (placeholderSteps < 1 || placeholderStepMs < 0) {
                    throw new InvalidInputException("--placeholder-steps must be at least 1 and "
                            + "--placeholder-step-ms at least 0");
                }
                yield new PlaceholderEngine(placeholderSteps, placeholderStepMs);
            }
            case "app" -> {
                if (queueRole == RenderQueue.Role.BOT) {
                    yield services.botEngine(); // renders nothing: checks prompts, without the model where it can
                }
                services.oven(); // load the model now: a missing or broken model fails before logging in
                yield services.renderEngine();
            }
            default -> throw new InvalidInputException("--engine must be app or placeholder");
        };
        AutoCloseable running;
        try {
            running = queueRole == RenderQueue.Role.WORKER ? services.serveWorker(renderEngine)
                    : services.serveDiscord(token, renderEngine, queueRole);
        } catch (Services.LoginFailed e) {
            spec.commandLine().getErr().println("serve: " + e.getMessage());
            return 1;
        }
        // one line that says it runs (the log says more at INFO); a stop puts the job in the oven back
        spec.commandLine().getOut().println(switch (queueRole) {
            case WORKER -> "serve: the render worker takes jobs; stop it with Ctrl-C or SIGTERM";
            case BOT -> "serve: the bot is online and delivers what the workers render; stop it with Ctrl-C or SIGTERM";
            case ALL -> "serve: Dream Oven is online; stop it with Ctrl-C or SIGTERM";
        });
        spec.commandLine().getOut().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            closeQuietly(running);
            stopped.countDown();
        }, "serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // stopped from within the process (tests): the same graceful close, without the hook
            Runtime.getRuntime().removeShutdownHook(hook);
            closeQuietly(running);
        }
        return 0;
    }

    private static void closeQuietly(AutoCloseable bot) {
        try {
            bot.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(ServeCommand.class).warn("stopping the bot failed", e);
        }
    }
}
