package dev.dreamoven.lab.bench;

import picocli.CommandLine.Command;

/** Benchmarks: commands that print figures. Speed goals live here, not in unit tests. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures.",
        subcommands = {BenchClipCommand.class, BenchDreamCommand.class, BenchAckCommand.class, BenchSoakCommand.class,
            BenchBakeCommand.class, BenchWorkersCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
