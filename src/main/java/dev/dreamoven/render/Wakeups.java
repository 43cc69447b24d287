package dev.dreamoven.render;

import dev.dreamoven.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes a waiting worker or bot when another process queues or finishes a job: PostgreSQL's
 * {@code LISTEN} on one connection of the pool, held while the process runs. A notification can be
 * missed (a dropped connection, a restart): the waiters poll as well, so it only costs a delay.
 */
final class Wakeups implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Wakeups.class);
    private static final int WAIT_MILLIS = 500;

    private final Database db;
    private final String channel;
    private final Runnable wake;
    private final Thread thread;
    private volatile boolean closed;

    private Wakeups(Database db, String channel, Runnable wake) {
        this.db = db;
        this.channel = channel;
        this.wake = wake;
        this.thread = new Thread(this::run, "listen-" + channel);
        this.thread.setDaemon(true);
    }

    /** Calls {@code wake} on each notification of {@code channel}; SQLite has none (its one process wakes itself). */
    static AutoCloseable listen(Database db, String channel, Runnable wake) {
        if (db.dialect() != Database.Dialect.POSTGRESQL) {
            return () -> {
            };
        }
        Wakeups w = new Wakeups(db, channel, wake);
        w.thread.start();
        return w;
    }

    private void run() {
        boolean warned = false;
        while (!closed) {
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("LISTEN " + channel); // a constant of JobStore, not input
                PGConnection pg = c.unwrap(PGConnection.class);
                if (warned) {
                    LOG.info("listening to {} again", channel);
                    warned = false;
                }
                wake.run(); // whatever was sent while nobody listened
                while (!closed) {
                    PGNotification[] got = pg.getNotifications(WAIT_MILLIS);
                    if (got != null && got.length > 0) {
                        wake.run();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!warned) {
                    LOG.warn("cannot listen to {} ({}); polling meanwhile", channel, Database.explain(e));
                    warned = true;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(2 * WAIT_MILLIS + 1000);
    }
}
