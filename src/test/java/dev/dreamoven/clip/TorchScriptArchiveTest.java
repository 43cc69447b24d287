package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import dev.dreamoven.testing.SharedFixtures;
import dev.dreamoven.testing.Torch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The pure-Java TorchScript reader agrees with libtorch, and finds the buffers libtorch's DJL API hides. */
class TorchScriptArchiveTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    @TempDir
    Path tmp;

    private static final String[] ARCHIVES = {"clip-golden/tiny-clip.pt", "clip-golden/tiny-clip-fp16.pt",
        "clip-golden-rn/tiny-rn-clip.pt", "clip-golden-rn/tiny-rn-clip-fp16.pt"};

    /** Every parameter as libtorch reads it (DJL's getDirectParameters), widened to float32. */
    private static Map<String, float[]> libtorchParameters(Path file) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager scratch = TORCH.manager().newSubManager()) {
            PtSymbolBlock block = JniUtils.loadModule((PtNDManager) scratch, file.toAbsolutePath(), true,
                    new String[0], new String[0], false);
            try {
                for (Pair<String, Parameter> p : block.getDirectParameters()) {
                    NDArray a = p.getValue().getArray();
                    out.put(p.getKey(), a.toType(DataType.FLOAT32, false).toFloatArray());
                }
            } finally {
                block.close();
            }
        }
        return out;
    }

    @Test
    void everyParameterEqualsWhatLibtorchReads() throws Exception {
        for (String name : ARCHIVES) {
            Path file = SharedFixtures.require(name);
            Map<String, float[]> expected = libtorchParameters(file);
            Map<String, Safetensors.Tensor> read = TorchScriptArchive.read(file, k -> true);

            assertThat(expected).as(name).isNotEmpty();
            expected.forEach((k, v) -> {
                assertThat(read).as(name + " " + k).containsKey(k);
                assertSameFloats(name + " " + k, read.get(k).values(), v);
            });
        }
    }

    @Test
    void libtorchListsNoBuffersButTheArchiveHasThem() throws Exception {
        Path file = SharedFixtures.require("clip-golden-rn/tiny-rn-clip-fp16.pt");
        assertThat(libtorchParameters(file).keySet()).contains("visual.bn1.weight")
                .noneMatch(k -> k.contains("running_"));

        Map<String, TorchScriptArchive.TensorRef> index = TorchScriptArchive.index(file);
        assertThat(index.get("visual.bn1.running_var").storageType()).isEqualTo("FloatStorage");
        assertThat(index.get("visual.bn1.num_batches_tracked").storageType()).isEqualTo("LongStorage");
        assertThat(index.get("visual.layer1.0.conv1.weight").storageType()).isEqualTo("HalfStorage");
    }

    @Test
    void buffersEqualTheSafetensorsStateDict() throws Exception {
        Map<String, Safetensors.Tensor> st = Safetensors.read(
                SharedFixtures.require("clip-golden-rn/tiny-rn-clip.safetensors")).tensors();
        Map<String, Safetensors.Tensor> buffers = TorchScriptArchive.read(
                SharedFixtures.require("clip-golden-rn/tiny-rn-clip.pt"),
                k -> k.contains(".running_") || k.endsWith(".num_batches_tracked"));

        assertThat(buffers).hasSize(3 * 22);
        buffers.forEach((k, t) -> {
            assertThat(t.shape()).as(k).containsExactly(st.get(k).shape());
            assertSameFloats(k, t.values(), st.get(k).values());
        });
        for (float v : buffers.get("visual.bn1.running_var").values()) {
            assertThat(v).isPositive();
        }
    }

    /** Bit-equal (NaN-aware), reporting the first difference: AssertJ's diff of large arrays is quadratic. */
    private static void assertSameFloats(String what, float[] actual, float[] expected) {
        int at = Arrays.mismatch(actual, expected);
        assertThat(at).as("%s differs at %d (%s vs %s)", what, at,
                at >= 0 && at < actual.length ? actual[at] : "end",
                at >= 0 && at < expected.length ? expected[at] : "end").isEqualTo(-1);
    }

    @Test
    void aFileThatIsNotAnArchiveIsAnIoException() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.pt"), "not a zip");
        assertThatThrownBy(() -> TorchScriptArchive.read(junk, k -> true)).isInstanceOf(IOException.class);
    }
}
