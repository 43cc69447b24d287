package dev.dreamoven.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @Test
    void opensAFileOnDiskInWalModeWithABusyTimeout(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/dream.db");
        try (Database db = Database.open(file); Connection c = db.connection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA busy_timeout")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(10000);
            }
        }
        assertThat(file).exists();
    }
}
