package dev.dreamoven.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.common.UnavailableException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single owner of a SQLite database excludes everyone; workers and bots that share it exclude only the owner. */
class OwnerLockTest {

    @TempDir
    Path dir;

    @Test
    void sharersCoexistAndKeepTheSingleOwnerOutUntilTheLastOneLeaves() {
        Path db = dir.resolve("q.db");
        OwnerLock worker = OwnerLock.share(db, "a render worker");
        OwnerLock bot = OwnerLock.share(db, "a bot");
        assertThatThrownBy(() -> OwnerLock.acquire(db, "the render queue")).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("runs workers or bots of");
        worker.close();
        assertThatThrownBy(() -> OwnerLock.acquire(db, "the render queue")).isInstanceOf(UnavailableException.class);
        bot.close();
        OwnerLock.acquire(db, "the render queue").close();
    }

    @Test
    void aSharerIsRefusedWhileTheSingleOwnerRunsAndWelcomeAfterIt() {
        Path db = dir.resolve("q.db");
        OwnerLock owner = OwnerLock.acquire(db, "the render queue");
        assertThatThrownBy(() -> OwnerLock.share(db, "a render worker")).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("alone");
        owner.close();
        OwnerLock worker = OwnerLock.share(db, "a render worker");
        assertThat(OwnerLock.lockFile(db)).exists().isEmptyFile();
        worker.close();
    }
}
