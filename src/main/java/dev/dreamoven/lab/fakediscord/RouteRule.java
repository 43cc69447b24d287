package dev.dreamoven.lab.fakediscord;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A scripted behaviour for the requests that match a predicate: a delay before answering, a failure instead
 * of the normal answer (or after it: {@link #afterHandling}), or both; for the next N matching requests (1 unless {@link #times} or
 * {@link #always}), after which the route answers normally again. Create one with {@link FakeDiscord#when}.
 *
 * <p>Rules are tried in the order they were created; every matching rule with uses left adds its delay, and
 * the first matching rule with a failure decides the answer (later failing rules are not used up).
 */
public final class RouteRule {

    /** A scripted failure answer. */
    record Fault(int status, int code, String message, Duration retryAfter, boolean global) {
    }

    private final String description;
    private final Predicate<RecordedRequest> match;
    private final AtomicInteger remaining = new AtomicInteger(1);
    private final AtomicInteger hits = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;
    private volatile Fault fault;
    private volatile boolean afterHandling;

    RouteRule(String description, Predicate<RecordedRequest> match) {
        this.description = description;
        this.match = Objects.requireNonNull(match);
    }

    /** Answers only after {@code wait} (the request is recorded on arrival). */
    public RouteRule delay(Duration wait) {
        this.delay = wait;
        return this;
    }

    /**
     * Answers 429 with a per-route ("user" scope) rate limit: {@code Retry-After} in whole seconds (rounded up),
     * {@code X-RateLimit-*} headers with remaining 0, {@code Via} (without it JDA takes any 429 for a Cloudflare
     * ban of every route), and the JSON body {@code {message, retry_after, global:false}}. JDA waits and retries.
     */
    public RouteRule rateLimited(Duration retryAfter) {
        this.fault = new Fault(429, 0, "You are being rate limited.", retryAfter, false);
        return this;
    }

    /** Answers 429 with a global rate limit ({@code X-RateLimit-Global: true}, scope "global"). */
    public RouteRule globallyRateLimited(Duration retryAfter) {
        this.fault = new Fault(429, 0, "You are being rate limited.", retryAfter, true);
        return this;
    }

    /** Answers 403 {@code {"message":"Missing Permissions","code":50013}}. */
    public RouteRule missingPermissions() {
        return fail(403, 50013, "Missing Permissions");
    }

    /** Answers 403 {@code {"message":"Missing Access","code":50001}}. */
    public RouteRule missingAccess() {
        return fail(403, 50001, "Missing Access");
    }

    /** Answers 500 (JDA does not retry 500; it retries 502, 503, 504 up to three times). */
    public RouteRule serverError() {
        return fail(500, 0, "500: Internal Server Error");
    }

    /** Answers {@code status} with the Discord error body {@code {message, code}}. */
    public RouteRule fail(int status, int code, String message) {
        this.fault = new Fault(status, code, message, null, false);
        return this;
    }

    /**
     * The route's handler runs first (Discord did what was asked: a message exists) and only then is the failure
     * answered instead: the client never learns it succeeded, as when the connection drops or the process dies
     * between Discord's work and the client's bookkeeping.
     */
    public RouteRule afterHandling() {
        this.afterHandling = true;
        return this;
    }

    /** Applies to the next {@code n} matching requests. */
    public RouteRule times(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("times " + n);
        }
        remaining.set(n);
        return this;
    }

    /** Applies to the next matching request only (the default). */
    public RouteRule once() {
        return times(1);
    }

    /** Applies to every matching request until {@link #off}. */
    public RouteRule always() {
        remaining.set(Integer.MAX_VALUE);
        return this;
    }

    /** Stops applying. */
    public RouteRule off() {
        remaining.set(0);
        return this;
    }

    /** How many requests this rule has applied to. */
    public int hits() {
        return hits.get();
    }

    /** How many more requests it will apply to. */
    public int remaining() {
        return remaining.get();
    }

    boolean hasFault() {
        return fault != null;
    }

    Fault fault() {
        return fault;
    }

    boolean failsAfterHandling() {
        return afterHandling;
    }

    Duration delayValue() {
        return delay;
    }

    boolean matches(RecordedRequest request) {
        return remaining.get() > 0 && match.test(request);
    }

    /** Uses one application up; false when another thread used the last one. */
    boolean consume() {
        while (true) {
            int left = remaining.get();
            if (left <= 0) {
                return false;
            }
            int next = left == Integer.MAX_VALUE ? left : left - 1;
            if (remaining.compareAndSet(left, next)) {
                hits.incrementAndGet();
                return true;
            }
        }
    }

    @Override
    public String toString() {
        return "rule " + description + " delay " + delay + " fault " + fault + " remaining " + remaining;
    }
}
