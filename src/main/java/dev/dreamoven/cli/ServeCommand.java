package dev.dreamoven.cli;

import picocli.CommandLine.Command;

/** Placeholder until this command is built; it says so instead of pretending. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class ServeCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("serve: not built yet");
        return 1;
    }
}
