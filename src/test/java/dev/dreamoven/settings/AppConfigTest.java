package dev.dreamoven.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigTest {

    @Test
    void defaultsComeFromTheShippedFile() {
        AppConfig c = AppConfig.defaults();
        assertThat(c.get("model.checkpoint")).isEqualTo("shapes");
        assertThat(c.getInt("render.capacity")).isEqualTo(100);
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.properties");
        Files.writeString(file, "render.capacity=7\ndream.size=32\n");
        AppConfig c = AppConfig.load(file, Map.of("DREAMOVEN_DREAM_SIZE", "48", "DREAMOVEN_RENDER_PER_USER", "5"));
        assertThat(c.getInt("render.capacity")).isEqualTo(7);
        assertThat(c.getInt("dream.size")).isEqualTo(48);
        assertThat(c.getInt("render.per-user")).isEqualTo(5);
    }

    @Test
    void malformedNumbersAreReportedByKey() {
        AppConfig c = AppConfig.defaults().with("dream.size", "big");
        assertThatThrownBy(() -> c.getInt("dream.size"))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessageContaining("dream.size");
    }
}
