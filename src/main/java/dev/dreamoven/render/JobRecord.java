package dev.dreamoven.render;

import java.time.Instant;
import java.util.Optional;

/** A job as the database has it: the job plus its state. */
public record JobRecord(RenderJob job, JobStatus status, Instant createdAt, Optional<String> error,
        Optional<String> resultPath) {
}
