package dev.dreamoven.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.testing.TestPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code bench workers} runs worker processes on a throwaway PostgreSQL and reports each count's throughput. */
@Tag("slow")
class WorkersBenchmarkTest {

    @Test
    void twoWorkersFinishTheJobsAndTheFiguresArePrinted() throws Exception {
        TestPostgres.cluster(); // skips (or in CI fails) without PostgreSQL
        StringWriter out = new StringWriter();
        List<WorkersBenchmark.Row> rows = new WorkersBenchmark(40, 2, 20, new PrintWriter(out)).run(List.of(1, 2));
        assertThat(rows).extracting(WorkersBenchmark.Row::workers).containsExactly(1, 2);
        assertThat(rows).allSatisfy(r -> assertThat(r.jobsPerSecond()).isPositive()
                .isLessThanOrEqualTo(r.ideal() * 1.05));
        assertThat(out.toString()).contains("bench workers: 1 worker(s): 40 jobs in", "bench workers: 2 worker(s)");
    }
}
