package dev.dreamoven.cli;

import picocli.CommandLine.Command;

/** Placeholder until this command is built; it says so instead of pretending. */
@Command(name = "console", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class ConsoleCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("console: not built yet");
        return 1;
    }
}
