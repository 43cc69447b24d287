package dev.dreamoven.lab.bench;

import dev.dreamoven.cli.AppCommand;
import dev.dreamoven.cli.Services;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.lab.postgres.TempPostgres;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Throughput of 1, 2, 3 … render worker processes on one PostgreSQL queue (placeholder engine). */
@Command(name = "workers", mixinStandardHelpOptions = true,
        description = {"Jobs through N render worker processes (serve --role worker, placeholder engine) on one "
                + "throwaway PostgreSQL, for each N; prints jobs a second against perfect scaling. Needs "
                + "PostgreSQL's initdb and pg_ctl (Debian: apt install postgresql)."})
public final class BenchWorkersCommand implements AppCommand {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--workers", split = ",", defaultValue = "1,2,3",
            description = "Worker counts to measure, a comma list (default: ${DEFAULT-VALUE}).")
    List<Integer> workers;

    @Option(names = "--jobs", defaultValue = "300", description = "Jobs per count (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--steps", defaultValue = "4", description = "Placeholder steps a job (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--step-ms", defaultValue = "25",
            description = "Milliseconds a placeholder step sleeps (default: ${DEFAULT-VALUE}).")
    long stepMillis;

    @Override
    public int run(Services services) throws Exception {
        if (jobs < 1 || steps < 1 || stepMillis < 1 || workers.stream().anyMatch(w -> w < 1)) {
            throw new InvalidInputException("--jobs, --steps, --step-ms and each worker count must be at least 1");
        }
        if (!TempPostgres.available()) {
            throw new InvalidInputException("bench workers needs PostgreSQL's initdb and pg_ctl "
                    + "(Debian: apt install postgresql)");
        }
        new WorkersBenchmark(jobs, steps, stepMillis, spec.commandLine().getOut()).run(workers);
        return 0;
    }
}
