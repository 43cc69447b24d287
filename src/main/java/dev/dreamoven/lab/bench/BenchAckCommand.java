package dev.dreamoven.lab.bench;

import dev.dreamoven.cli.AppCommand;
import dev.dreamoven.cli.Services;
import dev.dreamoven.settings.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How fast /dream is acknowledged under a burst: serve's own wiring and real JDA against a local fake Discord. */
@Command(name = "ack", mixinStandardHelpOptions = true,
        description = "Acknowledgement latency of a burst of /dream commands from a fake Discord on 127.0.0.1 "
                + "(serve's wiring, real JDA and queue, a placeholder engine).")
public final class BenchAckCommand implements AppCommand {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--events", defaultValue = "200", description = "Events in the burst (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--threads", defaultValue = "16", description = "Threads sending commands at once (default: ${DEFAULT-VALUE}).")
    int threads;

    /** The queue must take the whole burst. */
    @Override
    public Settings configure(Settings settings) {
        return settings.withQueue(new Settings.Queue(Math.max(settings.queue().capacity(), events),
                settings.queue().perUser(), settings.queue().lease()));
    }

    @Override
    public int run(Services services) throws Exception {
        if (events < 1 || threads < 1) {
            throw new dev.dreamoven.common.InvalidInputException("--events and --threads must be at least 1");
        }
        AckBenchmark.run(services.settings(), events, threads, spec.commandLine().getOut());
        return 0;
    }
}
