package dev.dreamoven.bake;

import static dev.dreamoven.bake.BakedPathsForTests.T0;
import static dev.dreamoven.bake.BakedPathsForTests.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.common.InvalidInputException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BakedPathTest {

    @Test
    void theIdIsDerivedFromModelAndPromptIgnoringCaseAndSpacing() {
        String id = BakedPath.idFor("shapes", "a red circle");
        assertThat(id).matches("[0-9a-f]{16}");
        assertThat(BakedPath.idFor("shapes", "  A  Red\tcircle ")).isEqualTo(id);
        assertThat(BakedPath.idFor("ViT-B-32", "a red circle")).isNotEqualTo(id);
        assertThat(BakedPath.idFor("shapes", "a red square")).isNotEqualTo(id);
        assertThat(path("a red circle", "shapes", 1).id()).isEqualTo(id);
    }

    @Test
    void aWrongIdIsRefused() {
        assertThatThrownBy(() -> new BakedPath("0123456789abcdef", "a red circle", "shapes", 64,
                new float[][] {{1}}, Map.of(), Double.NaN, "x", T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the id");
    }

    @Test
    void stagesAndSettingsAreCopiedInAndOut() {
        float[][] stages = {{1, 2}, {3, 4}};
        Map<String, String> settings = new HashMap<>(Map.of("a", "1"));
        BakedPath p = BakedPath.of("p", "shapes", 32, stages, settings, 0.5, "me", T0);
        stages[0][0] = 99;
        settings.put("b", "2");
        assertThat(p.stages()[0][0]).isEqualTo(1f);
        assertThat(p.settings()).containsOnlyKeys("a");
        p.stages()[1][1] = 99;
        p.stage(1)[1] = 99;
        assertThat(p.stage(1)[1]).isEqualTo(4f);
        assertThatThrownBy(() -> p.settings().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(p.stageCount()).isEqualTo(2);
        assertThat(p.dimension()).isEqualTo(2);
    }

    @Test
    void equalityComparesStageValues() {
        assertThat(path("p", "shapes", 7)).isEqualTo(path("p", "shapes", 7)).hasSameHashCodeAs(path("p", "shapes", 7));
        assertThat(path("p", "shapes", 7)).isNotEqualTo(path("p", "shapes", 8));
        assertThat(path("p", "shapes", 7).withScore(Double.NaN)).isEqualTo(path("p", "shapes", 7).withScore(Double.NaN));
    }

    @Test
    void malformedStagesAreRefused() {
        assertThatThrownBy(() -> BakedPath.of("p", "shapes", 32, new float[0][], Map.of(), 0, "me", T0))
                .hasMessageContaining("at least one stage");
        assertThatThrownBy(() -> BakedPath.of("p", "shapes", 32, new float[][] {{1, 2}, {3}}, Map.of(), 0, "me", T0))
                .hasMessageContaining("stage 1 has dimension 1");
        assertThatThrownBy(() -> BakedPath.of("p", "shapes", 32, new float[][] {{1, Float.NaN}}, Map.of(), 0, "me", T0))
                .hasMessageContaining("non-finite");
        assertThatThrownBy(() -> BakedPath.of("p", "shapes", 0, new float[][] {{1}}, Map.of(), 0, "me", T0))
                .hasMessageContaining("resolution");
    }

    @Test
    void hostilePromptsAreRefusedWithAFriendlyMessage() {
        assertThatThrownBy(() -> BakedPath.validatePrompt("a cat\0.png"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("control character (U+0000");
        assertThatThrownBy(() -> BakedPath.validatePrompt("line one\nline two"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("U+000A");
        assertThatThrownBy(() -> BakedPath.validatePrompt("bell\u0007"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> BakedPath.validatePrompt("x".repeat(5000)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("5000 characters");
        assertThatThrownBy(() -> BakedPath.validatePrompt("   "))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
        BakedPath.validatePrompt("x".repeat(BakedPath.MAX_PROMPT_LENGTH));
        BakedPath.validatePrompt("../../etc/passwd");
        BakedPath.validatePrompt("C:\\Windows\\system32 \"quoted\" 'ünïcödé' 🍩");
    }
}
