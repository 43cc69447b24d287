package dev.dreamoven;

import dev.dreamoven.cli.BakeCommand;
import dev.dreamoven.cli.BakedCommand;
import dev.dreamoven.cli.BenchCommand;
import dev.dreamoven.cli.ClipCommand;
import dev.dreamoven.cli.ConsoleCommand;
import dev.dreamoven.cli.DreamCommand;
import dev.dreamoven.cli.EvalCommand;
import dev.dreamoven.cli.MicrowaveCommand;
import dev.dreamoven.cli.ServeCommand;
import dev.dreamoven.cli.ToyworldCommand;
import dev.dreamoven.clip.TorchRuntime;
import dev.dreamoven.config.AppConfig;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of {@code java -jar dreamoven.jar}. */
@Command(name = "dreamoven", mixinStandardHelpOptions = true, version = "Dream Oven 0.1.0",
        description = "CLIP-guided pixel art: dream, bake and microwave, from Discord or the command line.",
        subcommands = {DreamCommand.class, BakeCommand.class, BakedCommand.class, MicrowaveCommand.class,
                ClipCommand.class, ToyworldCommand.class, EvalCommand.class, BenchCommand.class,
                ServeCommand.class, ConsoleCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final App app;

    public Main(App app) {
        this.app = app;
    }

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings "
            + "(default: ./config/dreamoven.properties, or $DREAMOVEN_CONFIG).")
    void setConfig(Path file) {
        app.useConfigFile(file);
    }

    @Option(names = "--threads", paramLabel = "N", description = "libtorch threads (default: torch.threads).")
    void setThreads(int threads) {
        if (threads < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be 0 or more");
        }
        app.override("torch.threads", Integer.toString(threads));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        useLogbackConfigFromDisk();
        int code;
        try (App app = new App(System.getenv())) {
            code = commandLine(app).execute(args);
        }
        System.exit(code);
    }

    /** The command line with every command wired to {@code app}; tests call it directly. */
    public static CommandLine commandLine(App app) {
        CommandLine cl = new CommandLine(Main.class, new AppFactory(app));
        cl.setExecutionExceptionHandler(Main::handleFailure);
        cl.setParameterExceptionHandler(Main::handleBadArguments);
        return cl;
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
        if (t instanceof TorchRuntime.TorchUnavailableException) {
            err.println(cl.getCommandName() + ": " + t.getMessage());
            return 1;
        }
        org.slf4j.LoggerFactory.getLogger(Main.class).debug("command failed", t);
        err.println(cl.getCommandName() + ": failed: " + t + " (set DREAMOVEN_LOG_LEVEL=DEBUG for details)");
        return 1;
    }

    /** Uses ./config/logback.xml when present, so the shipped file is the one users edit. */
    private static void useLogbackConfigFromDisk() {
        if (System.getProperty("logback.configurationFile") == null) {
            Path onDisk = Path.of("config", "logback.xml");
            if (Files.isRegularFile(onDisk)) {
                System.setProperty("logback.configurationFile", onDisk.toAbsolutePath().toString());
            }
        }
    }

    /** Gives every command that wants it the app, through a constructor {@code (App)}. */
    private record AppFactory(App app) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> withApp = cls.getDeclaredConstructor(App.class);
                withApp.setAccessible(true);
                return withApp.newInstance(app);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
