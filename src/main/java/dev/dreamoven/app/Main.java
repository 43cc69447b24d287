package dev.dreamoven.app;

import dev.dreamoven.cli.AppCommand;
import dev.dreamoven.cli.BakeCommand;
import dev.dreamoven.cli.BakedCommand;
import dev.dreamoven.cli.ClipCommand;
import dev.dreamoven.cli.ConsoleCommand;
import dev.dreamoven.cli.DreamCommand;
import dev.dreamoven.cli.MicrowaveCommand;
import dev.dreamoven.cli.ServeCommand;
import dev.dreamoven.clip.TorchRuntime;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.common.UnavailableException;
import dev.dreamoven.settings.AppConfig;
import dev.dreamoven.settings.Settings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Entry point of {@code java -jar dreamoven.jar}. picocli reads the arguments into the command
 * objects; then the settings are read once (defaults, file, environment, then the options), the
 * composition root {@link DreamOven} is built over them and handed to the chosen command.
 */
@Command(name = "dreamoven", mixinStandardHelpOptions = true, version = "Dream Oven 0.1.0",
        description = "CLIP-guided pixel art: dream, bake and microwave, from Discord or the command line.",
        subcommands = {DreamCommand.class, BakeCommand.class, BakedCommand.class, MicrowaveCommand.class,
                ClipCommand.class, ServeCommand.class, ConsoleCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static final int EXIT_BAD_INPUT = InvalidInputException.EXIT_CODE;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        useLogbackConfigFromDisk();
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The product's command line over this environment; tests call it directly. */
    public static CommandLine commandLine(Map<String, String> environment) {
        return commandLine(new Main(), environment);
    }

    /**
     * A command line whose {@link AppCommand}s run against a {@link DreamOven} built after the
     * arguments are read; {@code root} must carry the {@link GlobalOptions} as a mixin.
     */
    public static CommandLine commandLine(Object root, Map<String, String> environment) {
        CommandLine cl = new CommandLine(root);
        cl.setExecutionStrategy(parsed -> execute(parsed, environment));
        cl.setExecutionExceptionHandler(Main::handleFailure);
        cl.setParameterExceptionHandler(Main::handleBadArguments);
        return cl;
    }

    /** The options every command line takes before its command. */
    public static final class GlobalOptions {

        @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings "
                + "(default: ./config/dreamoven.properties, or $DREAMOVEN_CONFIG).")
        Path config;

        @Option(names = "--threads", paramLabel = "N", description = "libtorch threads (default: torch.threads).")
        Integer threads;

        Settings configure(Settings settings) {
            if (threads == null) {
                return settings;
            }
            if (threads < 0) {
                throw new InvalidInputException("--threads must be 0 or more");
            }
            return settings.withTorch(new Settings.Torch(threads, settings.torch().interopThreads()));
        }
    }

    private static int execute(CommandLine.ParseResult parsed, Map<String, String> environment) {
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            return help;
        }
        List<CommandLine> chain = parsed.asCommandLineList();
        CommandLine leaf = chain.get(chain.size() - 1);
        if (!(leaf.getCommand() instanceof AppCommand command)) {
            return new CommandLine.RunLast().execute(parsed);
        }
        GlobalOptions global = parsed.commandSpec().mixins().get("global").userObject() instanceof GlobalOptions g
                ? g : new GlobalOptions();
        try {
            Settings settings = command.configure(global.configure(Settings.load(global.config, environment)));
            try (DreamOven services = new DreamOven(settings, environment)) {
                int code = command.run(services);
                leaf.setExecutionResult(code);
                return code;
            }
        } catch (Exception e) {
            throw new CommandLine.ExecutionException(leaf, e.toString(), e);
        }
    }

    private static int handleBadArguments(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println(e.getCommandLine().getCommandName() + ": " + e.getMessage()
                + " (see --help)");
        return EXIT_BAD_INPUT;
    }

    private static int handleFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        Throwable t = e;
        if (t instanceof CommandLine.ExecutionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof InvalidInputException || t instanceof AppConfig.ConfigException) {
            err.println(cl.getCommandName() + ": " + t.getMessage());
            return EXIT_BAD_INPUT;
        }
        if (t instanceof TorchRuntime.TorchUnavailableException || t instanceof UnavailableException) {
            err.println(cl.getCommandName() + ": " + t.getMessage());
            return UnavailableException.EXIT_CODE;
        }
        org.slf4j.LoggerFactory.getLogger(Main.class).debug("command failed", t);
        err.println(cl.getCommandName() + ": failed: " + t + " (set DREAMOVEN_LOG_LEVEL=DEBUG for details)");
        return 1;
    }

    /** Uses ./config/logback.xml when present, so the shipped file is the one users edit. */
    public static void useLogbackConfigFromDisk() {
        if (System.getProperty("logback.configurationFile") == null) {
            Path onDisk = Path.of("config", "logback.xml");
            if (Files.isRegularFile(onDisk)) {
                System.setProperty("logback.configurationFile", onDisk.toAbsolutePath().toString());
            }
        }
    }
}
