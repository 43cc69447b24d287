package dev.dreamoven.lab.toyworld;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToyPromptTest {

    private static Spec parse(String prompt) {
        return ToyPrompt.parse(prompt).orElseThrow(() -> new AssertionError("not parsed: " + prompt));
    }

    @Test
    void readsAPlainShape() {
        Spec spec = parse("a red circle");
        assertThat(spec.background()).isEmpty();
        assertThat(spec.relation()).isEmpty();
        assertThat(spec.shapes()).containsExactly(ShapeQuery.of(ToyColour.RED, ShapeKind.CIRCLE));
    }

    @Test
    void readsSizeBackgroundAndPosition() {
        Spec spec = parse("A big green triangle on a yellow background.");
        assertThat(spec.background()).contains(ToyColour.YELLOW);
        assertThat(spec.shapes().get(0).size()).contains(ShapeSize.BIG);
        assertThat(spec.shapes().get(0).kind()).contains(ShapeKind.TRIANGLE);

        ShapeQuery q = parse("a small white square at the top").shapes().get(0);
        assertThat(q).isEqualTo(new ShapeQuery(Optional.of(ToyColour.WHITE), Optional.of(ShapeKind.SQUARE),
                Optional.of(ShapeSize.SMALL), Optional.of(Position.TOP)));
        assertThat(parse("an orange cross in the center").shapes().get(0).position()).contains(Position.CENTRE);
        assertThat(parse("an orange cross in the centre").shapes().get(0).position()).contains(Position.CENTRE);
        assertThat(parse("a blue circle on the left on a black background").background()).contains(ToyColour.BLACK);
        assertThat(parse("on a black background, a blue circle").shapes()).hasSize(1);
    }

    @Test
    void readsRelations() {
        Spec spec = parse("a red circle left of a blue square");
        assertThat(spec.shapes()).containsExactly(ShapeQuery.of(ToyColour.RED, ShapeKind.CIRCLE),
                ShapeQuery.of(ToyColour.BLUE, ShapeKind.SQUARE));
        assertThat(spec.relation()).contains(Relation.LEFT_OF);
        assertThat(parse("a red circle to the right of a blue square").relation()).contains(Relation.RIGHT_OF);
        assertThat(parse("a red circle above a blue square").relation()).contains(Relation.ABOVE);
        assertThat(parse("a red circle under a blue square on a white background").relation()).contains(Relation.BELOW);
        assertThat(parse("a red circle and a blue square").relation()).isEmpty();
        assertThat(parse("a red circle on the left of a blue square").relation()).contains(Relation.LEFT_OF);
        assertThat(parse("a big red circle left of a small blue square").shapes().get(1).size()).contains(ShapeSize.SMALL);
    }

    @Test
    void attributesAreOptional() {
        Spec spec = parse("a triangle");
        assertThat(spec.shapes().get(0)).isEqualTo(new ShapeQuery(Optional.empty(), Optional.of(ShapeKind.TRIANGLE),
                Optional.empty(), Optional.empty()));
        assertThat(parse("a big shape").shapes().get(0).kind()).isEmpty();
    }

    @Test
    void promptsOutsideTheWorldGiveNothing() {
        for (String prompt : List.of("", "   ", "a cat", "a red circle with a hat", "a pink circle",
                "red", "a red", "a red circle left of", "a red circle a blue square", "a red red circle",
                "a circle square", "three red circles", "a red circle left of a blue square above a green cross")) {
            assertThat(ToyPrompt.parse(prompt)).as(prompt).isEmpty();
        }
    }
}
