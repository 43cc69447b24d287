package dev.dreamoven.bake;

import java.time.Instant;

/**
 * One row of the baked-path index: what a listing shows, without the stage vectors.
 *
 * @param score NaN when unknown
 * @param hasEmbedding whether the prompt's text embedding is stored (nearest-match needs it)
 */
public record BakedSummary(String id, String modelId, String prompt, String fileName, int stageCount,
                           int dimension, int resolution, double score, String author, Instant createdAt,
                           boolean hasEmbedding) {
}
