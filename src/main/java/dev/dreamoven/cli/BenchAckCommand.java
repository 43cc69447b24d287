package dev.dreamoven.cli;

import dev.dreamoven.discord.AckBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How fast /dream is acknowledged under a burst: real handler and SQLite queue, stand-in JDA events and engine. */
@Command(name = "ack", mixinStandardHelpOptions = true,
        description = "Acknowledgement latency of a burst of /dream events (real handler and queue, no network).")
public final class BenchAckCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--events", defaultValue = "200", description = "Events in the burst (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--threads", defaultValue = "16", description = "Threads delivering events at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (events < 1 || threads < 1) {
            throw new dev.dreamoven.InvalidInputException("--events and --threads must be at least 1");
        }
        AckBenchmark.run(events, threads, spec.commandLine().getOut());
        return 0;
    }
}
