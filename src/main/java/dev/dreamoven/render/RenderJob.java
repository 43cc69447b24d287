package dev.dreamoven.render;

import dev.dreamoven.dream.DreamRequest;
import java.util.Objects;

/**
 * One accepted job of the durable queue.
 *
 * @param id the queue's id, increasing in order of acceptance
 * @param kind dream or bake; a bake's {@code request.prompt()} is the prompt to bake
 * @param requesterId who asked (a Discord user id, or a console user name); counts on their quota
 * @param origin where notifications go
 * @param request what to render
 * @param attempts how many times the worker has started it (a restart after a crash counts one)
 */
public record RenderJob(long id, JobKind kind, String requesterId, JobOrigin origin, DreamRequest request, int attempts) {
    public RenderJob {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(requesterId, "requesterId");
        Objects.requireNonNull(request, "request");
        origin = origin == null ? JobOrigin.none() : origin;
    }
}
