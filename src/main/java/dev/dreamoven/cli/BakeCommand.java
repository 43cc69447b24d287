package dev.dreamoven.cli;

import picocli.CommandLine.Command;

/** Placeholder until this command is built; it says so instead of pretending. */
@Command(name = "bake", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class BakeCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("bake: not built yet");
        return 1;
    }
}
