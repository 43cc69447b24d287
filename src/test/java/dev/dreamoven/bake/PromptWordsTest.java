package dev.dreamoven.bake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptWordsTest {

    @Test
    void aPromptThatOnlyAddsOrDropsWordsAgreesWithTheBakedOne() {
        assertThat(PromptWords.contradicts("a red circle", "a big red circle")).isFalse();
        assertThat(PromptWords.contradicts("a red circle", "a red circle on the left")).isFalse();
        assertThat(PromptWords.contradicts("a blue circle on the left", "a blue circle")).isFalse();
        assertThat(PromptWords.contradicts("A  Red circle!", "a red circle")).isFalse();
    }

    @Test
    void replacedWordsContradict() {
        assertThat(PromptWords.contradicts("a yellow cross", "a yellow circle")).isTrue();
        assertThat(PromptWords.contradicts("a red circle left of a blue square", "a red circle right of a blue square"))
                .isTrue();
        assertThat(PromptWords.contradicts("a blue circle on the left", "a blue square")).isTrue();
    }

    @Test
    void theSameWordsInAnotherOrderContradict() {
        assertThat(PromptWords.contradicts("a red circle left of a blue square", "a blue circle left of a red square"))
                .isTrue();
        assertThat(PromptWords.contradicts("a red circle left of a blue square", "a blue square left of a red circle"))
                .isTrue();
    }

    @Test
    void noVocabularyIsKnown() {
        // Any language, any words: only which words stand where.
        assertThat(PromptWords.contradicts("un chat noir", "un chat blanc")).isTrue();
        assertThat(PromptWords.contradicts("un chat noir", "un gros chat noir")).isFalse();
        assertThat(PromptWords.contradicts("a zorp beside a quibble", "a quibble beside a zorp")).isTrue();
        assertThat(PromptWords.words("Ein Würfel, 3 Kugeln")).containsExactly("ein", "würfel", "3", "kugeln");
    }
}
