package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.testing.SharedFixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafetensorsTest {

    @Test
    void writtenTensorsAndMetadataReadBackExactly() throws Exception {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", new Safetensors.Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f}));
        tensors.put("b", new Safetensors.Tensor(new long[] {1}, new float[] {Float.MIN_VALUE}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(out, tensors, Map.of("prompt", "a red circle"));

        Safetensors.Contents back = Safetensors.read(new ByteArrayInputStream(out.toByteArray()));

        assertThat(back.metadata()).containsEntry("prompt", "a red circle");
        assertThat(back.tensors().get("a").shape()).containsExactly(2, 3);
        assertThat(back.tensors().get("a").values()).containsExactly(1, 2, 3, 4, 5, -6.5f);
        assertThat(back.tensors().get("b").values()).containsExactly(Float.MIN_VALUE);
    }

    @Test
    void readsTheGoldenTinyClipStateDict() throws Exception {
        var file = SharedFixtures.require("clip-golden/tiny-clip.safetensors");
        Safetensors.Contents c = Safetensors.read(file);
        assertThat(c.tensors()).containsKey("visual.conv1.weight").containsKey("text_projection");
        assertThat(c.tensors().get("visual.conv1.weight").shape()).containsExactly(128, 3, 8, 8);
    }

    @Test
    void halfPrecisionValuesWidenExactly() {
        assertThat(Safetensors.halfToFloat((short) 0x3c00)).isEqualTo(1.0f);
        assertThat(Safetensors.halfToFloat((short) 0xc000)).isEqualTo(-2.0f);
        assertThat(Safetensors.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Safetensors.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(Safetensors.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void truncatedFilesAreRefusedWithAReason() {
        assertThatThrownBy(() -> Safetensors.read(new ByteArrayInputStream(new byte[] {1, 2})))
                .isInstanceOf(IOException.class).hasMessageContaining("not a safetensors file");
    }
}
