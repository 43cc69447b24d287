package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.testing.SharedFixtures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipTokenizerTest {

    private static ClipTokenizer openAi;

    @BeforeAll
    static void load() {
        openAi = ClipTokenizer.load(SharedFixtures.require("clip-golden/bpe_simple_vocab_16e6.txt.gz"));
    }

    @Test
    void tokenIdsEqualTheReferenceForEveryGoldenCaption() {
        Golden golden = Golden.fp32();
        for (int i = 0; i < golden.captions().size(); i++) {
            assertThat(openAi.encode(golden.captions().get(i))).as(golden.captions().get(i))
                    .containsExactly(golden.tokens()[i]);
        }
    }

    @Test
    void openAiVocabularyHasTheReferenceSizeAndSpecialIds() {
        assertThat(openAi.vocabSize()).isEqualTo(49408);
        assertThat(openAi.startOfText()).isEqualTo(49406);
        assertThat(openAi.endOfText()).isEqualTo(49407);
        assertThat(openAi.contextLength()).isEqualTo(77);
    }

    @Test
    void htmlEntitiesAreUnescapedLikePython() {
        assertThat(openAi.clean("Fish &amp;amp; Chips &#x1F438; &eacute;t&eacute; &notit; &copy2026 &bogus;"))
                .isEqualTo("fish & chips \uD83D\uDC38 été ¬it; ©2026 &bogus;");
        assertThat(openAi.clean("  Tabs\tand\n\nnewlines\u00a0 ")).isEqualTo("tabs and newlines");
    }

    @Test
    void decodeInvertsEncodeOnCleanText() {
        // Digits are single tokens in the reference pattern ([\\p{N}]), so they decode spaced.
        assertThat(openAi.decode(openAi.encode("a tulip on a rock, 2026 pixels! 🐸")))
                .isEqualTo("a tulip on a rock , 2 0 2 6 pixels ! 🐸");
    }

    @Test
    void tooLongPromptIsRefusedWithTheCountsOrTruncatedKeepingEndOfText() {
        String longPrompt = "red ".repeat(80);
        assertThatThrownBy(() -> openAi.encode(longPrompt))
                .isInstanceOf(PromptTooLongException.class)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("82 tokens").hasMessageContaining("at most 77");

        int[] cut = openAi.encode(longPrompt, true);
        assertThat(cut).hasSize(77);
        assertThat(cut[0]).isEqualTo(49406);
        assertThat(cut[76]).isEqualTo(49407);
        assertThat(cut[75]).isEqualTo(cut[1]);
        assertThat(openAi.countTokens(longPrompt)).isEqualTo(82);
    }

    @Test
    void exactlyFullContextFitsWithoutTruncation() {
        String prompt = "red ".repeat(75);
        assertThat(openAi.encode(prompt)).doesNotContain(0).endsWith(49407);
    }

    @Test
    void contextLengthFollowsTheModel() {
        ClipTokenizer short16 = openAi.withContextLength(16);
        assertThat(short16.encode("a red circle")).hasSize(16);
        assertThatThrownBy(() -> short16.encode("red ".repeat(15))).isInstanceOf(PromptTooLongException.class)
                .hasMessageContaining("17 tokens").hasMessageContaining("at most 16");
    }

    @Test
    void smallMergesFileGivesASmallVocabularyWithSpecialTokensLast() throws Exception {
        String merges = "#version: 0.2\nr e\nre d</w>\nc i\n";
        ClipTokenizer toy = ClipTokenizer.load(new ByteArrayInputStream(merges.getBytes(StandardCharsets.UTF_8)));

        assertThat(toy.vocabSize()).isEqualTo(512 + 3 + 2);
        assertThat(toy.startOfText()).isEqualTo(515);
        assertThat(toy.endOfText()).isEqualTo(516);
        // "red" merges fully into the second merge's token (512 + 1); "ci" stays open-ended.
        assertThat(toy.bpeIds("red")).containsExactly(513);
        assertThat(toy.bpeIds("cir")).hasSize(2).first().isEqualTo(514);
    }

    @Test
    void notAVocabularyIsRefusedClearly() {
        assertThatThrownBy(() -> ClipTokenizer.fromMerges(List.of("hello", "a b")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("#version");
        assertThatThrownBy(() -> ClipTokenizer.fromMerges(List.of("#version: 0.2", "a b c")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> ClipTokenizer.load(java.nio.file.Path.of("/nonexistent/vocab.txt.gz")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");
    }
}
