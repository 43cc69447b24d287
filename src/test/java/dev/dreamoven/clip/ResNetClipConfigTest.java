package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.testing.SharedFixtures;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ResNet tower's numbers are read off the state dict as openai/CLIP's {@code build_model} reads them. */
class ResNetClipConfigTest {

    static JsonObject golden() throws Exception {
        return new Gson().fromJson(Files.readString(SharedFixtures.require("clip-golden-rn/golden-rn.json")),
                JsonObject.class);
    }

    /** Every key of the golden state dict with its shape, {@code num_batches_tracked} included. */
    static Map<String, long[]> goldenShapes() throws Exception {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : golden().getAsJsonObject("state_dict_keys").entrySet()) {
            shapes.put(e.getKey(), new Gson().fromJson(e.getValue().getAsJsonArray().get(0), long[].class));
        }
        return shapes;
    }

    @Test
    void configReadOffTheStateDictEqualsTheGoldenConfig() throws Exception {
        JsonObject expected = golden().getAsJsonObject("config");

        ClipConfig c = ClipConfig.fromStateDict(goldenShapes());

        assertThat(c.vision()).isEqualTo(new ImageTower.ResNet(
                List.of(new Gson().fromJson(expected.get("vision_layers"), Integer[].class)),
                expected.get("vision_width").getAsInt()));
        assertThat(c.visionHeads()).isEqualTo(expected.get("vision_width").getAsInt() * 32 / 64);
        assertThat(c.embedDim()).isEqualTo(expected.get("embed_dim").getAsInt());
        assertThat(c.imageResolution()).isEqualTo(expected.get("image_resolution").getAsInt());
        assertThat(c.contextLength()).isEqualTo(expected.get("context_length").getAsInt());
        assertThat(c.vocabSize()).isEqualTo(expected.get("vocab_size").getAsInt());
        assertThat(c.textWidth()).isEqualTo(expected.get("transformer_width").getAsInt());
        assertThat(c.textHeads()).isEqualTo(expected.get("transformer_heads").getAsInt());
        assertThat(c.textLayers()).isEqualTo(expected.get("transformer_layers").getAsInt());
    }

    @Test
    void expectedShapesAreTheGoldenStateDictWithoutBatchCounters() throws Exception {
        Map<String, long[]> golden = goldenShapes();
        golden.keySet().removeIf(k -> k.endsWith(".num_batches_tracked"));

        Map<String, long[]> expected = OpenAiClip.expectedShapes(ClipConfig.fromStateDict(goldenShapes()));

        assertThat(expected.keySet()).containsExactlyElementsOf(golden.keySet());
        expected.forEach((k, v) -> assertThat(v).as(k).containsExactly(golden.get(k)));
    }

    @Test
    void rn50ShapesGiveTheRn50Config() {
        ClipConfig rn50 = new ClipConfig(1024, 224, new ImageTower.ResNet(List.of(3, 4, 6, 3), 64), 77, 49408, 512, 12);
        Map<String, long[]> shapes = OpenAiClip.expectedShapes(rn50);

        assertThat(ClipConfig.fromStateDict(shapes)).isEqualTo(rn50);
        assertThat(rn50.visionHeads()).isEqualTo(32);
        assertThat(shapes.get("visual.attnpool.positional_embedding")).containsExactly(50, 2048);
        assertThat(shapes.get("visual.attnpool.c_proj.weight")).containsExactly(1024, 2048);
        assertThat(shapes.get("visual.layer4.2.conv3.weight")).containsExactly(2048, 512, 1, 1);
        assertThat(shapes).containsKey("visual.layer3.0.downsample.0.weight")
                .doesNotContainKey("visual.layer3.1.downsample.0.weight");
        long visual = shapes.entrySet().stream().filter(e -> e.getKey().startsWith("visual."))
                .filter(e -> !e.getKey().contains(".running_"))
                .mapToLong(e -> java.util.Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b)).sum();
        assertThat(visual).as("RN50's image tower has 38.3 M parameters").isBetween(38_000_000L, 38_700_000L);
    }

    @Test
    void aResNetTowerHasNoPatchesAndAViTNoStages() {
        ClipConfig rn = new ClipConfig(32, 64, new ImageTower.ResNet(List.of(1, 2, 1, 1), 16), 77, 49408, 64, 2);
        assertThatThrownBy(rn::visionPatchSize).isInstanceOf(IllegalStateException.class).hasMessageContaining("ResNet");
        assertThat(new ClipConfig(512, 224, 12, 768, 32, 77, 49408, 512, 12).vision())
                .isEqualTo(new ImageTower.Vit(12, 768, 32));
        assertThatThrownBy(() -> new ClipConfig(32, 48, new ImageTower.ResNet(List.of(1, 1, 1, 1), 16), 77, 10, 64, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 32");
    }

    @Test
    void aResNetStateDictWithoutAStageNamesIt() throws Exception {
        Map<String, long[]> shapes = goldenShapes();
        shapes.keySet().removeIf(k -> k.startsWith("visual.layer3."));
        assertThatThrownBy(() -> ClipConfig.fromStateDict(shapes)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'visual.layer3.0.conv1.weight'");
    }
}
