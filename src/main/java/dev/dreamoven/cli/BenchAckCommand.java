package dev.dreamoven.cli;

import picocli.CommandLine.Command;

/** Placeholder until this benchmark is built; it says so instead of pretending. */
@Command(name = "ack", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class BenchAckCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("bench ack: not built yet");
        return 1;
    }
}
