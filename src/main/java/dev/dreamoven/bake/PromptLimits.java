package dev.dreamoven.bake;

import dev.dreamoven.clip.ClipTokenizer;
import dev.dreamoven.clip.PromptTooLongException;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;

/**
 * Whether a request's prompt and negative prompts fit the model's context: the tokenizer only, no
 * model. The oven checks with its loaded model's tokenizer; a bot that renders nothing checks with
 * the tokenizer alone ({@link dev.dreamoven.clip.ClipModels#promptTokenizer}).
 *
 * @param tokenizer the model's tokenizer, with the model's context length
 * @param model the model's name in the refusal
 */
public record PromptLimits(ClipTokenizer tokenizer, String model) {

    /** @throws InvalidInputException with one line for the user when a prompt is too long */
    public void check(DreamRequest request) {
        checkFits("prompt", request.prompt());
        for (String n : request.negatives()) {
            checkFits("negative prompt", n);
        }
    }

    private void checkFits(String what, String text) {
        try {
            tokenizer.encode(text.strip(), false);
        } catch (PromptTooLongException e) {
            throw new InvalidInputException("The " + what + " is too long for the model " + model + ": " + e.tokens()
                    + " tokens, it reads at most " + e.limit() + " (start and end included). Please shorten it.");
        }
    }
}
