package dev.dreamoven.bake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextEmbeddingCacheTest {

    @Test
    void eachPromptIsEncodedOncePerModel() {
        List<String> encoded = new ArrayList<>();
        TextEmbeddingCache cache = new TextEmbeddingCache(100);
        java.util.function.Function<String, float[]> encoder = p -> {
            encoded.add(p);
            return new float[] {p.length(), 1};
        };
        assertThat(cache.get("shapes", "a red circle", encoder)).containsExactly(12, 1);
        assertThat(cache.get("shapes", "a red circle", encoder)).containsExactly(12, 1);
        cache.get("ViT-B-32", "a red circle", encoder);
        cache.get("shapes", "A red circle", encoder);
        assertThat(encoded).containsExactly("a red circle", "a red circle", "A red circle");
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.size()).isEqualTo(3);
        cache.invalidateModel("shapes");
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void callersGetCopies() {
        TextEmbeddingCache cache = new TextEmbeddingCache(10);
        float[] first = cache.get("m", "p", p -> new float[] {1, 2});
        first[0] = 99;
        assertThat(cache.get("m", "p", p -> new float[] {7, 7})).containsExactly(1, 2);
    }

    @Test
    void theCacheIsBounded() {
        TextEmbeddingCache cache = new TextEmbeddingCache(5);
        for (int i = 0; i < 50; i++) {
            cache.get("m", "prompt " + i, p -> new float[] {1});
        }
        assertThat(cache.size()).isLessThanOrEqualTo(5);
    }
}
