package dev.dreamoven.cli;

import picocli.CommandLine.Command;

/** Placeholder until this command is built; it says so instead of pretending. */
@Command(name = "microwave", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class MicrowaveCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("microwave: not built yet");
        return 1;
    }
}
