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
import dev.dreamoven.dream.DreamSettings;
import dev.dreamoven.settings.AppConfig;
import dev.dreamoven.settings.Settings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.TreeMap;
import java.util.stream.Collectors;
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
        footer = {"", "Where state lives (relative to the folder you run in; settings in config/dreamoven.properties,",
            "or DREAMOVEN_<KEY> variables, e.g. DREAMOVEN_STORE_DATABASE=/srv/dreamoven/dreamoven.db):",
            "  jobs, baked-path index, posted results  ${dreamoven.setting.store.database}  (setting store.database)",
            "    or PostgreSQL, shared by several hosts  (settings store.url=jdbc:postgresql://host:port/db, "
                    + "store.user, store.password-file)",
            "  baked paths (the shipped ones are copied into a new folder)  ${dreamoven.setting.store.baked}/  "
                    + "(setting store.baked)",
            "  finished pictures not yet delivered  ${dreamoven.setting.store.results}/  (setting store.results)",
            "  libtorch, unpacked on first use (about 430 MB)  ~/.djl.ai/  (environment variable DJL_CACHE_DIR)"},
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
        offerGlobalOptionsAfterTheCommand(cl, cl.getCommandSpec().options());
        cl.setResourceBundle(helpVariables(environment));
        cl.setExecutionStrategy(parsed -> execute(parsed, environment));
        cl.setExecutionExceptionHandler(Main::handleFailure);
        cl.setParameterExceptionHandler(Main::handleBadArguments);
        return cl;
    }

    /**
     * {@code dream "a cat" --threads 2} as well as {@code --threads 2 dream "a cat"}: every command
     * gets the global options that it does not define itself, bound to the same fields. (picocli's
     * inherited scope would clash with a command's own option of the same name, e.g. {@code bench ack --threads}.)
     */
    private static void offerGlobalOptionsAfterTheCommand(CommandLine parent, List<CommandLine.Model.OptionSpec> global) {
        for (CommandLine sub : parent.getSubcommands().values()) {
            CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
            for (CommandLine.Model.OptionSpec o : global) {
                if (o.longestName().startsWith("--") && !o.usageHelp() && !o.versionHelp()
                        && spec.findOption(o.longestName()) == null) {
                    spec.addOption(CommandLine.Model.OptionSpec.builder(o).build());
                }
            }
            offerGlobalOptionsAfterTheCommand(sub, global);
        }
    }

    /**
     * What the help texts show: {@code ${dreamoven.setting.KEY}} is the setting's value (the
     * shipped default, or what ./config/dreamoven.properties, $DREAMOVEN_CONFIG or a
     * DREAMOVEN_&lt;KEY&gt; variable make it), {@code ${dreamoven.presets}} explains the presets.
     */
    static ResourceBundle helpVariables(Map<String, String> environment) {
        AppConfig config;
        try {
            config = Settings.config(null, environment);
        } catch (RuntimeException e) {
            config = AppConfig.defaults();
        }
        Map<String, Object> values = new TreeMap<>();
        config.values().forEach((k, v) -> values.put("dreamoven.setting." + k, v.isBlank() ? "none" : v.strip()));
        values.put("dreamoven.presets", Arrays.stream(DreamSettings.Preset.values())
                .map(p -> "  " + p.describe()).collect(Collectors.joining("%n")));
        return new ResourceBundle() {
            @Override
            protected Object handleGetObject(String key) {
                return values.get(key);
            }

            @Override
            public Enumeration<String> getKeys() {
                return Collections.enumeration(values.keySet());
            }
        };
    }

    /**
     * The options every command line takes, before its command or after it
     * ({@code dream "a cat" --threads 2} works too, see {@link #offerGlobalOptionsAfterTheCommand}).
     */
    public static final class GlobalOptions {

        @Option(names = "--config", paramLabel = "FILE",
                description = "Properties file with settings (default: ./config/dreamoven.properties, or $DREAMOVEN_CONFIG).")
        Path config;

        @Option(names = "--threads", paramLabel = "N", description = "libtorch threads, 0 = one per core (default: ${dreamoven.setting.torch.threads}, setting torch.threads).")
        Integer threads;

        @Option(names = "--device", paramLabel = "DEVICE", description = "Where to compute: auto, cpu, cuda or cuda:N "
                + "(default: ${dreamoven.setting.torch.device}, setting torch.device); cuda falls back to the CPU with one "
                + "line where no GPU can be used.")
        String device;

        Settings configure(Settings settings) {
            Settings.Torch torch = settings.torch();
            if (threads != null) {
                if (threads < 0) {
                    throw new InvalidInputException("--threads must be 0 or more");
                }
                torch = torch.withThreads(threads);
            }
            if (device != null) {
                try {
                    torch = torch.withDevice(Settings.Device.parse(device));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("--device " + e.getMessage());
                }
            }
            return settings.withTorch(torch);
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
        String name = e.getCommandLine().getCommandName();
        String words = unquotedPrompt(e, args);
        if (words != null) {
            err.println(name + ": the prompt must be one argument; put it in quotes: " + name + " \"" + words + "\"");
        } else {
            err.println(name + ": " + e.getMessage() + " (see --help)");
        }
        return EXIT_BAD_INPUT;
    }

    /**
     * The words of a prompt typed without quotes ({@code dream a red circle}), when that is what
     * the extra arguments are: the command takes a prompt and none of them is an option.
     */
    private static String unquotedPrompt(CommandLine.ParameterException e, String[] args) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()
                || u.getUnmatched().stream().anyMatch(a -> a.startsWith("-"))) {
            return null;
        }
        CommandLine.Model.CommandSpec spec = e.getCommandLine().getCommandSpec();
        boolean takesPrompt = spec.positionalParameters().stream().anyMatch(p -> p.paramLabel().startsWith("PROMPT"));
        int at = Arrays.asList(args).indexOf(spec.name());
        if (!takesPrompt || at < 0) {
            return null;
        }
        List<String> words = new java.util.ArrayList<>();
        for (int i = at + 1; i < args.length && !args[i].startsWith("-"); i++) {
            words.add(args[i]);
        }
        return words.size() > 1 ? String.join(" ", words) : null;
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
