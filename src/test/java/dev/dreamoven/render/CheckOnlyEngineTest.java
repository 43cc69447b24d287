package dev.dreamoven.render;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.bake.PromptLimits;
import dev.dreamoven.clip.ClipModels;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;
import org.junit.jupiter.api.Test;

/** A bot's engine refuses prompts the model cannot read, with the tokenizer alone, and never renders. */
class CheckOnlyEngineTest {

    private final CheckOnlyEngine engine = new CheckOnlyEngine(
            () -> new PromptLimits(ClipModels.shippedTokenizer().withContextLength(8), "shapes"));

    @Test
    void aPromptThatFitsPassesAndATooLongOneIsOneLineNamingTheModel() {
        assertThatCode(() -> engine.validate(JobKind.DREAM, DreamRequest.of("a red circle", 1))).doesNotThrowAnyException();
        assertThatThrownBy(() -> engine.validate(JobKind.DREAM, DreamRequest.of("a red circle ".repeat(5), 1)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("The prompt is too long for the model shapes: ")
                .hasMessageEndingWith("Please shorten it.");
    }

    @Test
    void itRendersNothing() {
        assertThatThrownBy(engine::load).isInstanceOf(IllegalStateException.class).hasMessageContaining("workers");
        assertThatThrownBy(() -> engine.render(null, null)).isInstanceOf(IllegalStateException.class);
    }
}
