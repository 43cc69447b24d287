package dev.dreamoven.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.dreamoven.clip.ClipConfig;
import dev.dreamoven.clip.ImageTower;
import dev.dreamoven.testing.SharedFixtures;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The analytic FLOP counts against hand computations and a published figure. */
class TowerFlopsTest {

    /** The tiny golden ViT, from its config file: 32 px, patch 8, width 128, 2 blocks, embed 32. */
    @Test
    void theTinyGoldenVitMatchesAHandComputation() throws Exception {
        JsonObject j = new Gson().fromJson(Files.readString(SharedFixtures.require("clip-golden/tiny-clip-config.json")),
                JsonObject.class);
        ClipConfig tiny = new ClipConfig(j.get("embed_dim").getAsInt(), j.get("image_resolution").getAsInt(),
                j.get("vision_layers").getAsInt(), j.get("vision_width").getAsInt(),
                j.get("vision_patch_size").getAsInt(), j.get("context_length").getAsInt(),
                j.get("vocab_size").getAsInt(), j.get("transformer_width").getAsInt(),
                j.get("transformer_layers").getAsInt());
        // 4x4 = 16 patches of 3*8*8 = 192 values to 128: 16*192*128 = 393,216
        // per block, T = 17 tokens: qkv 17*128*384 = 835,584; scores 17*17*128 = 36,992; weighted sum 36,992;
        //   output 17*128*128 = 278,528; MLP 17*128*512 * 2 = 2,228,224; block 3,416,320; two blocks 6,832,640
        // projection of the class token 128*32 = 4,096
        long multiplyAdds = 393_216 + 6_832_640 + 4_096;
        assertThat(multiplyAdds).isEqualTo(7_229_952);
        assertThat(TowerFlops.imageForward(tiny)).isEqualTo(2.0 * multiplyAdds);
        assertThat(TowerFlops.dreamStepFlopsPerImage(tiny)).isEqualTo(4.0 * multiplyAdds);
    }

    /** Published: CLIP ViT-B/32's image tower costs 4.4 G multiply-adds per 224 px image (reported as "4.4 GFLOPs"). */
    @Test
    void vitB32IsAboutFourPointFourGigaMultiplyAdds() {
        ClipConfig vitB32 = new ClipConfig(512, 224, 12, 768, 32, 77, 49408, 512, 12);
        assertThat(TowerFlops.imageForward(vitB32) / 2 / 1e9).isCloseTo(4.4, within(0.05));
    }

    /**
     * The tiny golden ResNet (shared/clip-golden-rn: 64 px, width 16, blocks 1, 2, 1, 1, embed 32),
     * layer by layer.
     */
    @Test
    void theTinyGoldenResNetMatchesAHandComputation() {
        ClipConfig tiny = new ClipConfig(32, 64, new ImageTower.ResNet(List.of(1, 2, 1, 1), 16), 77, 49408, 64, 2);
        long stem = 32 * 32 * (8 * 3 * 9) // 3 -> 8, 3x3, stride 2: 32x32 out
                + 32 * 32 * (8 * 8 * 9) // 8 -> 8
                + 32 * 32 * (16 * 8 * 9); // 8 -> 16; then pool to 16x16
        long stage1 = 16 * 16 * (16 * 16) + 16 * 16 * (16 * 16 * 9) + 16 * 16 * (16 * 64) + 16 * 16 * (16 * 64);
        long stage2 = (16 * 16 * (64 * 32) + 16 * 16 * (32 * 32 * 9) + 8 * 8 * (32 * 128) + 8 * 8 * (64 * 128))
                + (8 * 8 * (128 * 32) + 8 * 8 * (32 * 32 * 9) + 8 * 8 * (32 * 128));
        long stage3 = 8 * 8 * (128 * 64) + 8 * 8 * (64 * 64 * 9) + 4 * 4 * (64 * 256) + 4 * 4 * (128 * 256);
        long stage4 = 4 * 4 * (256 * 128) + 4 * 4 * (128 * 128 * 9) + 2 * 2 * (128 * 512) + 2 * 2 * (256 * 512);
        long pool = 2L * 5 * 512 * 512 + 512 * 512 + 2 * 5 * 512 + 512 * 32; // k, v over 5 tokens; q; scores, sum; c_proj
        long multiplyAdds = stem + stage1 + stage2 + stage3 + stage4 + pool;
        assertThat(multiplyAdds).isEqualTo(18_199_552);
        assertThat(TowerFlops.imageForward(tiny)).isEqualTo(2.0 * multiplyAdds);
    }
}
