package dev.dreamoven.lab.bench;

import dev.dreamoven.lab.bench.AckBenchmark;
import dev.dreamoven.cli.AppCommand;
import dev.dreamoven.cli.Services;
import dev.dreamoven.settings.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How fast /dream is acknowledged under a burst: real handler and SQLite queue, stand-in JDA events and engine. */
@Command(name = "ack", mixinStandardHelpOptions = true,
        description = "Acknowledgement latency of a burst of /dream events (real handler and queue, no network).")
public final class BenchAckCommand implements AppCommand {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--events", defaultValue = "200", description = "Events in the burst (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--threads", defaultValue = "16", description = "Threads delivering events at once (default: ${DEFAULT-VALUE}).")
    int threads;

    /** The queue must take the whole burst. */
    @Override
    public Settings configure(Settings settings) {
        return settings.withQueue(new Settings.Queue(Math.max(settings.queue().capacity(), events),
                settings.queue().perUser()));
    }

    @Override
    public int run(Services services) throws Exception {
        if (events < 1 || threads < 1) {
            throw new dev.dreamoven.common.InvalidInputException("--events and --threads must be at least 1");
        }
        AckBenchmark.run(services, events, threads, spec.commandLine().getOut());
        return 0;
    }
}
