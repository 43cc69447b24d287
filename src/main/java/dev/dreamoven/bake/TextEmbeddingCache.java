package dev.dreamoven.bake;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Objects;
import java.util.function.Function;

/**
 * Prompt → text embedding, per model, so that a prompt typed again (or every baked prompt compared
 * against a new one) is encoded once. The caller brings the encoder, since only it holds the model.
 * Keys are the exact prompt: whether case or spacing matter is the model's business, not the cache's.
 */
public final class TextEmbeddingCache {

    private record Key(String modelId, String prompt) {
    }

    private final Cache<Key, float[]> cache;

    /** @param maxEntries embeddings kept at most (a ViT-B/32 embedding is 2 KB) */
    public TextEmbeddingCache(long maxEntries) {
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).recordStats().build();
    }

    /**
     * The embedding of {@code prompt} under {@code modelId}, computed by {@code encoder} on a miss
     * (at most once at a time per key). Returns a copy the caller may change.
     */
    public float[] get(String modelId, String prompt, Function<String, float[]> encoder) {
        Objects.requireNonNull(encoder, "encoder");
        float[] v = cache.get(new Key(modelId, prompt), k -> {
            float[] e = encoder.apply(k.prompt());
            if (e == null || e.length == 0) {
                throw new IllegalStateException("the encoder gave no embedding for \"" + k.prompt() + "\"");
            }
            return e.clone();
        });
        return v.clone();
    }

    /** Forgets every embedding of a model, e.g. when its checkpoint changes. */
    public void invalidateModel(String modelId) {
        cache.asMap().keySet().removeIf(k -> k.modelId().equals(modelId));
    }

    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** Encoder calls avoided so far. */
    public long hits() {
        return cache.stats().hitCount();
    }
}
