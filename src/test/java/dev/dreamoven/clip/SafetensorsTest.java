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
    void integerAndDoubleTensorsOfAStateDictAreConverted() throws Exception {
        // a ResNet state dict saved as is: BatchNorm's num_batches_tracked is int64
        String header = "{\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]}}";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + 24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putLong(1234).putInt(-7).putInt(9).putDouble(0.25);

        Safetensors.Contents c = Safetensors.read(new ByteArrayInputStream(b.array()));

        assertThat(c.tensors().get("bn.num_batches_tracked").values()).containsExactly(1234f);
        assertThat(c.tensors().get("bn.num_batches_tracked").shape()).isEmpty();
        assertThat(c.tensors().get("i").values()).containsExactly(-7f, 9f);
        assertThat(c.tensors().get("d").values()).containsExactly(0.25f);
    }

    @Test
    void truncatedFilesAreRefusedWithAReason() {
        assertThatThrownBy(() -> Safetensors.read(new ByteArrayInputStream(new byte[] {1, 2})))
                .isInstanceOf(IOException.class).hasMessageContaining("not a safetensors file");
    }
}
