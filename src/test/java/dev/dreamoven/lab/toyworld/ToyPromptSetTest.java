package dev.dreamoven.lab.toyworld;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToyPromptSetTest {

    @Test
    void hasTwelveSingleAndEightTwoShapePrompts() {
        assertThat(ToyPromptSet.SINGLE_SHAPE).hasSize(12).doesNotHaveDuplicates();
        assertThat(ToyPromptSet.TWO_SHAPES).hasSize(8).doesNotHaveDuplicates();
        assertThat(ToyPromptSet.all()).hasSize(20);
        ToyPromptSet.SINGLE_SHAPE.forEach(p -> assertThat(ToyPrompt.parse(p).orElseThrow().shapes()).hasSize(1));
        ToyPromptSet.TWO_SHAPES.forEach(p -> assertThat(ToyPrompt.parse(p).orElseThrow().relation()).isPresent());
    }

    @Test
    void coversEveryColourShapeSizePositionAndRelation() {
        Set<ToyColour> colours = EnumSet.noneOf(ToyColour.class);
        Set<ShapeKind> kinds = EnumSet.noneOf(ShapeKind.class);
        Set<ShapeSize> sizes = EnumSet.noneOf(ShapeSize.class);
        Set<Position> positions = EnumSet.noneOf(Position.class);
        Set<Relation> relations = EnumSet.noneOf(Relation.class);
        for (String p : ToyPromptSet.all()) {
            Spec spec = ToyPrompt.parse(p).orElseThrow();
            spec.relation().ifPresent(relations::add);
            spec.background().ifPresent(colours::add);
            for (ShapeQuery q : spec.shapes()) {
                q.colour().ifPresent(colours::add);
                q.kind().ifPresent(kinds::add);
                q.size().ifPresent(sizes::add);
                q.position().ifPresent(positions::add);
            }
        }
        assertThat(colours).containsExactlyInAnyOrder(ToyColour.values());
        assertThat(kinds).containsExactlyInAnyOrder(ShapeKind.values());
        assertThat(sizes).containsExactlyInAnyOrder(ShapeSize.values());
        assertThat(positions).containsExactlyInAnyOrder(Position.values());
        assertThat(relations).containsExactlyInAnyOrder(Relation.values());
    }

    @Test
    void everyPromptCanBeShownAndJudged() {
        ToyWorld world = new ToyWorld();
        ToyJudge judge = new ToyJudge();
        Random random = new Random(9);
        for (String p : ToyPromptSet.all()) {
            Spec spec = ToyPrompt.parse(p).orElseThrow();
            for (int i = 0; i < 10; i++) {
                Scene scene = world.sceneFor(spec, random).orElseThrow(() -> new AssertionError(p));
                assertThat(judge.judge(world.render(scene), spec).passed()).as(p).isTrue();
            }
        }
    }

    @Test
    void unseenPromptsComeFromTheWorldsGrammarOutsideTheSetAndCanBeShownAndJudged() {
        ToyWorld world = new ToyWorld();
        ToyJudge judge = new ToyJudge();
        Random random = new Random(10);
        assertThat(ToyPromptSet.UNSEEN_SINGLE_SHAPE).hasSize(12).doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(ToyPromptSet.all());
        assertThat(ToyPromptSet.UNSEEN_TWO_SHAPES).hasSize(8).doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(ToyPromptSet.all());
        assertThat(ToyPromptSet.unseen(12, 1)).as("the same every time").isEqualTo(ToyPromptSet.UNSEEN_SINGLE_SHAPE);
        for (String p : ToyPromptSet.UNSEEN_SINGLE_SHAPE) {
            assertThat(ToyPrompt.parse(p).orElseThrow().shapes()).as(p).hasSize(1);
        }
        for (String p : ToyPromptSet.UNSEEN_TWO_SHAPES) {
            Spec spec = ToyPrompt.parse(p).orElseThrow();
            assertThat(spec.shapes()).as(p).hasSize(2);
            Scene scene = world.sceneFor(spec, random).orElseThrow(() -> new AssertionError(p));
            assertThat(judge.judge(world.render(scene), spec).passed()).as(p).isTrue();
        }
    }
}
