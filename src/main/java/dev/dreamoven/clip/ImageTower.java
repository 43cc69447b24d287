package dev.dreamoven.clip;

import java.util.List;

/**
 * The architecture of a CLIP's image tower: OpenAI released two families, a Vision Transformer
 * ({@code ViT-B/32} ...) and a ModifiedResNet ({@code RN50} ...). openai/CLIP's {@code build_model}
 * tells them apart by {@code visual.proj}, which only the ViT has; {@link ClipConfig#fromStateDict}
 * does the same.
 */
public sealed interface ImageTower permits ImageTower.Vit, ImageTower.ResNet {

    /** Width of the tower: the ViT's token width, the ResNet's stem width (stage 1 has 4× that). */
    int width();

    /** Attention heads: the ViT's per block, the ResNet's in its attention pool. */
    int heads();

    /**
     * @throws IllegalArgumentException when a square image of this side does not fit the tower
     */
    void checkResolution(int imageResolution);

    /**
     * A Vision Transformer: patches of {@code patchSize} embedded by a strided convolution, a class
     * token, {@code layers} pre-LayerNorm blocks of {@code width}; heads = width / 64 (at least one).
     */
    record Vit(int layers, int width, int patchSize) implements ImageTower {

        public Vit {
            if (layers <= 0 || width <= 0 || patchSize <= 0) {
                throw new IllegalArgumentException("every ViT dimension must be positive: " + this);
            }
        }

        @Override
        public int heads() {
            return Math.max(1, width / 64);
        }

        @Override
        public void checkResolution(int imageResolution) {
            if (imageResolution % patchSize != 0) {
                throw new IllegalArgumentException(
                        "image resolution " + imageResolution + " is not a multiple of patch " + patchSize);
            }
        }

        /** Patches per side. */
        public int gridSize(int imageResolution) {
            return imageResolution / patchSize;
        }
    }

    /**
     * OpenAI's ModifiedResNet: a three-convolution stem to {@code width} channels, four stages of
     * bottleneck blocks ({@code layers} blocks each; widths 4w, 8w, 16w, 32w; stages 2 to 4 halve
     * the side) and an attention pool of width 32w with 32w / 64 heads. The image side is a multiple
     * of 32 (the stem and the stages reduce it 32 times).
     *
     * @param layers blocks per stage, four numbers (RN50: 3, 4, 6, 3)
     */
    record ResNet(List<Integer> layers, int width) implements ImageTower {

        /** Channels out of a bottleneck are its inner width times this (torchvision's expansion). */
        public static final int EXPANSION = 4;

        /** How many times the stem and the stages together shrink the image side. */
        public static final int REDUCTION = 32;

        public ResNet {
            layers = List.copyOf(layers);
            if (layers.size() != 4 || layers.stream().anyMatch(n -> n <= 0) || width <= 0 || width % 2 != 0) {
                throw new IllegalArgumentException("a ModifiedResNet has four stages of at least one block and an "
                        + "even positive width: layers " + layers + ", width " + width);
            }
        }

        /** Channels of the attention pool's input: the last stage's output, {@code width · 32}. */
        public int poolWidth() {
            return width * 32;
        }

        @Override
        public int heads() {
            return width * 32 / 64;
        }

        @Override
        public void checkResolution(int imageResolution) {
            if (imageResolution % REDUCTION != 0) {
                throw new IllegalArgumentException(
                        "image resolution " + imageResolution + " of a ResNet tower is not a multiple of " + REDUCTION);
            }
        }

        /** Side of the feature map the attention pool sees. */
        public int gridSize(int imageResolution) {
            return imageResolution / REDUCTION;
        }
    }
}
