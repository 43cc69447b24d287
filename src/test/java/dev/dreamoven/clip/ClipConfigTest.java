package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.testing.SharedFixtures;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClipConfigTest {

    static Map<String, long[]> goldenShapes() throws Exception {
        JsonObject golden = new Gson().fromJson(Files.readString(SharedFixtures.require("clip-golden/golden.json")),
                JsonObject.class);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        golden.getAsJsonObject("state_dict_keys").entrySet()
                .forEach(e -> shapes.put(e.getKey(), new Gson().fromJson(e.getValue(), long[].class)));
        return shapes;
    }

    @Test
    void configReadOffTheStateDictEqualsTheGoldenConfig() throws Exception {
        JsonObject expected = new Gson().fromJson(
                Files.readString(SharedFixtures.require("clip-golden/tiny-clip-config.json")), JsonObject.class);

        ClipConfig c = ClipConfig.fromStateDict(goldenShapes());

        assertThat(c.embedDim()).isEqualTo(expected.get("embed_dim").getAsInt());
        assertThat(c.imageResolution()).isEqualTo(expected.get("image_resolution").getAsInt());
        assertThat(c.visionLayers()).isEqualTo(expected.get("vision_layers").getAsInt());
        assertThat(c.visionWidth()).isEqualTo(expected.get("vision_width").getAsInt());
        assertThat(c.visionHeads()).isEqualTo(expected.get("vision_heads").getAsInt());
        assertThat(c.visionPatchSize()).isEqualTo(expected.get("vision_patch_size").getAsInt());
        assertThat(c.contextLength()).isEqualTo(expected.get("context_length").getAsInt());
        assertThat(c.vocabSize()).isEqualTo(expected.get("vocab_size").getAsInt());
        assertThat(c.textWidth()).isEqualTo(expected.get("transformer_width").getAsInt());
        assertThat(c.textHeads()).isEqualTo(expected.get("transformer_heads").getAsInt());
        assertThat(c.textLayers()).isEqualTo(expected.get("transformer_layers").getAsInt());
    }

    @Test
    void expectedShapesOfTheConfigAreExactlyTheGoldenStateDict() throws Exception {
        Map<String, long[]> golden = goldenShapes();
        Map<String, long[]> expected = OpenAiClip.expectedShapes(ClipConfig.fromStateDict(golden));

        assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(golden.keySet());
        expected.forEach((k, v) -> assertThat(v).as(k).containsExactly(golden.get(k)));
    }

    @Test
    void viTB32ShapesGiveTheViTB32Config() {
        ClipConfig vitB32 = new ClipConfig(512, 224, 12, 768, 32, 77, 49408, 512, 12);
        ClipConfig read = ClipConfig.fromStateDict(OpenAiClip.expectedShapes(vitB32));
        assertThat(read).isEqualTo(vitB32);
        assertThat(read.visionHeads()).isEqualTo(12);
        assertThat(read.textHeads()).isEqualTo(8);
    }

    @Test
    void aStateDictThatIsNotClipNamesTheMissingKey() throws Exception {
        assertThatThrownBy(() -> ClipConfig.fromStateDict(Map.of("fc.weight", new long[] {10, 10})))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'visual.conv1.weight'");
        Map<String, long[]> noTextBlocks = new LinkedHashMap<>(goldenShapes());
        noTextBlocks.keySet().removeIf(k -> k.startsWith("transformer."));
        assertThatThrownBy(() -> ClipConfig.fromStateDict(noTextBlocks))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'transformer.resblocks.0.attn.in_proj_weight'");
    }
}
