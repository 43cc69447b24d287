package dev.dreamoven.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClipBenchFlopsTest {

    @Test
    void viTB32VisionForwardIsAboutFourPointFourGigaMultiplyAdds() {
        // Published figure for CLIP ViT-B/32's image tower: ~4.4 GMACs per 224x224 image.
        double gflop = BenchClipCommand.visionForwardFlops(BenchClipCommand.VIT_B_32) / 1e9;
        assertThat(gflop / 2).isCloseTo(4.4, within(0.1));
    }
}
