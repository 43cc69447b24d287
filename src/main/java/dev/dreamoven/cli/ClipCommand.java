package dev.dreamoven.cli;

import picocli.CommandLine.Command;

/** Placeholder until this command is built; it says so instead of pretending. */
@Command(name = "clip", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class ClipCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("clip: not built yet");
        return 1;
    }
}
