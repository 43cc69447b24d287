package dev.dreamoven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code --device} (and {@code torch.device}) on this CPU-only build: {@code cuda} dreams on the CPU
 * after one WARN line that says why; a device that is none of the choices is refused like any bad
 * option.
 */
class DeviceOptionTest {

    @TempDir
    Path tmp;

    private ClipCommandTest.Run dream(String device) throws Exception {
        Path config = tmp.resolve("test.properties");
        Files.writeString(config, "store.database=" + tmp.resolve("d.db").toString().replace('\\', '/') + "\n"
                + "store.baked=" + tmp.resolve("baked").toString().replace('\\', '/') + "\n");
        List<String> args = new ArrayList<>(List.of("--config", config.toString(), "--threads", "1", "dream",
                "a red circle", "--size", "16", "--steps", "2", "--preset", "draft", "--seed", "1",
                "--out", tmp.resolve("d.png").toString(), "--device", device));
        return ClipCommandTest.run(args.toArray(String[]::new));
    }

    /** The default (CPU) build; skipped under -Pcuda, where the machine decides. */
    @Test
    void cudaWithoutAGpuDreamsOnTheCpuAfterOneLine() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(dev.dreamoven.clip.TorchDevice.Libtorch.cudaOnClassPath(),
                "the -Pcuda build");
        Logger root = (Logger) LoggerFactory.getLogger("dev.dreamoven.app.DreamOven");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        try {
            ClipCommandTest.Run r = dream("cuda");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(Files.exists(tmp.resolve("d.png"))).isTrue();
            List<String> warnings = lines.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(warnings).singleElement().asString()
                    .startsWith("torch.device=cuda but this build's libtorch ")
                    .contains("has no CUDA").endsWith("computing on the CPU").doesNotContain("\n");
        } finally {
            root.detachAppender(lines);
        }
    }

    @Test
    void anUnknownDeviceIsRefusedWithTheChoices() throws Exception {
        ClipCommandTest.Run r = dream("tpu");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("dream: --device must be auto, cpu, cuda or cuda:N, got 'tpu'");
    }
}
