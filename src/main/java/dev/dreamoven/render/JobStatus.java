package dev.dreamoven.render;

import java.util.Locale;

/** Where a job is in its life. Only QUEUED and RUNNING are unfinished. */
public enum JobStatus {
    QUEUED, RUNNING, DONE, FAILED, CANCELLED;

    String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    static JobStatus fromSql(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    public boolean finished() {
        return this != QUEUED && this != RUNNING;
    }
}
