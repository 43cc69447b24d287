package dev.dreamoven.lab.bench;

import dev.dreamoven.cli.AppCommand;
import dev.dreamoven.cli.Services;
import dev.dreamoven.common.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Durability under random kills: lost, duplicated, refused and stuck jobs, all of which must be 0. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Jobs from many users through the console (placeholder engine, separate processes) while "
                + "it is killed with kill -9 at random and started again; prints lost / duplicated / refused / "
                + "stuck counts, which must all be 0. Exit code 1 when one is not."})
public final class BenchSoakCommand implements AppCommand {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--jobs", defaultValue = "1000", description = "Submissions (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--users", defaultValue = "50", description = "Users they come from (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--kill-every-ms", defaultValue = "3000",
            description = "Mean time between kills, in milliseconds (default: ${DEFAULT-VALUE}).")
    long killEvery;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the kill schedule (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public int run(Services services) throws Exception {
        if (jobs < 1 || users < 1 || killEvery < 100) {
            throw new InvalidInputException("--jobs and --users must be at least 1, --kill-every-ms at least 100");
        }
        SoakBenchmark.Figures f = SoakBenchmark.run(jobs, users, seed, killEvery, spec.commandLine().getOut());
        return f.lost() + f.duplicated() + f.refused() + f.stuck() == 0 ? 0 : 1;
    }
}
