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

    @Test
    void aBotProcessConnectsAllShardsByDefaultOrTheGivenOnesOfAFixedTotal() {
        assertThat(Settings.from(AppConfig.defaults()).discord().shardIds()).isEmpty();
        assertThat(Settings.from(AppConfig.defaults().with("discord.shards", "4").with("discord.shard-ids", "3, 1"))
                .discord().shardIds()).containsExactly(3, 1);
    }

    @Test
    void shardIdsWithoutAFixedTotalOrBeyondItAreOneClearLine() {
        assertThatThrownBy(() -> Settings.from(AppConfig.defaults().with("discord.shard-ids", "1")))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("configuration 'discord.shard-ids' needs 'discord.shards', the total of all processes' "
                        + "shards, set above 0");
        for (String bad : new String[] {"2", "-1", "one", "1,1"}) {
            assertThatThrownBy(() -> Settings.from(AppConfig.defaults().with("discord.shards", "2")
                    .with("discord.shard-ids", bad)))
                    .isInstanceOf(AppConfig.ConfigException.class)
                    .hasMessageStartingWith("configuration 'discord.shard-ids' must be a comma list of distinct shard "
                            + "numbers from 0 to 1 (discord.shards=2)")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void theDeviceIsAutoByDefaultAndParsedOnceIntoTheTypedSettings() {
        Settings.Torch defaults = Settings.from(AppConfig.defaults()).torch();
        assertThat(defaults.device()).isEqualTo(new Settings.Device(Settings.Device.Kind.AUTO, -1));
        assertThat(defaults.gpuPrecision()).isEqualTo(Settings.GpuPrecision.FLOAT16);
        Settings.Torch cuda1 = Settings.from(AppConfig.load(null, Map.of("DREAMOVEN_TORCH_DEVICE", "CUDA:1",
                "DREAMOVEN_TORCH_GPU_PRECISION", "float32"))).torch();
        assertThat(cuda1.device()).isEqualTo(new Settings.Device(Settings.Device.Kind.CUDA, 1));
        assertThat(cuda1.device()).hasToString("cuda:1");
        assertThat(cuda1.gpuPrecision()).isEqualTo(Settings.GpuPrecision.FLOAT32);
        assertThat(Settings.Device.parse(" cpu ")).hasToString("cpu");
        assertThat(Settings.Device.parse("cuda")).hasToString("cuda");
    }

    @Test
    void aDeviceOrPrecisionThatIsNoneOfTheChoicesIsRefusedByKey() {
        assertThatThrownBy(() -> Settings.from(AppConfig.defaults().with("torch.device", "cuda:x")))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("configuration 'torch.device' must be auto, cpu, cuda or cuda:N, got 'cuda:x'");
        assertThatThrownBy(() -> Settings.from(AppConfig.defaults().with("torch.gpu-precision", "int8")))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("configuration 'torch.gpu-precision' must be float16 or float32, got 'int8'");
    }
}
