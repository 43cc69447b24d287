package dev.dreamoven.clip;

import dev.dreamoven.common.InvalidInputException;

/** A prompt with more BPE tokens (start and end included) than the model's context holds. */
public final class PromptTooLongException extends InvalidInputException {

    private final int tokens;
    private final int limit;

    public PromptTooLongException(int tokens, int limit) {
        super("the prompt is too long: " + tokens + " tokens, the model reads at most " + limit
                + " (start and end included); shorten it");
        this.tokens = tokens;
        this.limit = limit;
    }

    /** Tokens the prompt needs, start and end of text included. */
    public int tokens() {
        return tokens;
    }

    public int limit() {
        return limit;
    }
}
