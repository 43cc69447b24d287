package dev.dreamoven.lab.toyworld;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.image.RgbImage;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToyWorldTest {

    private final ToyWorld world = new ToyWorld();

    @Test
    void samplesAreDeterministicFromTheSeed() {
        List<Sample> a = world.samples(7, 20);
        List<Sample> b = world.samples(7, 20);
        assertThat(a).isEqualTo(b);
        assertThat(world.samples(8, 20)).isNotEqualTo(a);
    }

    @Test
    void picturesAre64SquareAndUseOnlyTheSceneColours() {
        for (Sample s : world.samples(1, 100)) {
            RgbImage img = s.image();
            assertThat(img.width()).isEqualTo(64);
            assertThat(img.height()).isEqualTo(64);
            Set<Integer> allowed = new HashSet<>();
            allowed.add(s.scene().background().rgb());
            s.scene().shapes().forEach(shape -> allowed.add(shape.colour().rgb()));
            Set<Integer> seen = new HashSet<>();
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    seen.add(img.rgb(x, y));
                }
            }
            assertThat(seen).isEqualTo(allowed); // every shape visible, no other colour
        }
    }

    @Test
    void shapesStayInsideNeverOverlapAndDifferFromTheBackground() {
        Random r = new Random(5);
        for (int i = 0; i < 1000; i++) {
            Scene scene = world.scene(r);
            List<ShapeSpec> shapes = scene.shapes();
            for (ShapeSpec s : shapes) {
                double half = s.size().extent(64) / 2.0;
                assertThat(s.centreX() - half).isGreaterThanOrEqualTo(3);
                assertThat(s.centreX() + half).isLessThanOrEqualTo(61);
                assertThat(s.centreY() - half).isGreaterThanOrEqualTo(3);
                assertThat(s.centreY() + half).isLessThanOrEqualTo(61);
                assertThat(s.colour()).isNotEqualTo(scene.background());
            }
            if (shapes.size() == 2) {
                ShapeSpec a = shapes.get(0);
                ShapeSpec b = shapes.get(1);
                double reach = (a.size().extent(64) + b.size().extent(64)) / 2.0;
                boolean apart = Math.abs(a.centreX() - b.centreX()) >= reach + 6
                        || Math.abs(a.centreY() - b.centreY()) >= reach + 6;
                assertThat(apart).isTrue();
                assertThat(a.colour()).isNotEqualTo(b.colour());
                Relation seen = Relation.of(a.centreX(), a.centreY(), b.centreX(), b.centreY());
                assertThat(Optional.of(seen)).isEqualTo(scene.relation());
            }
        }
    }

    @Test
    void shapesHaveTheirGeometry() {
        // extent 16 at an integer centre: the square is exactly 16x16, the cross arms are 6 px wide
        // (16/3 rounded to the even width that stays symmetric about a centre between pixels),
        // the circle fills about pi/4 and the triangle about half of the box
        assertThat(area(ShapeKind.SQUARE, ShapeSize.SMALL)).isEqualTo(256);
        assertThat(area(ShapeKind.CIRCLE, ShapeSize.SMALL) / 256.0).isCloseTo(Math.PI / 4, org.assertj.core.data.Offset.offset(0.03));
        assertThat(area(ShapeKind.TRIANGLE, ShapeSize.SMALL) / 256.0).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.05));
        assertThat(area(ShapeKind.CROSS, ShapeSize.SMALL)).isEqualTo(2 * 16 * 6 - 36);
        assertThat(area(ShapeKind.SQUARE, ShapeSize.BIG)).isEqualTo(32 * 32);
        // the triangle points up: its top row is narrower than its bottom row
        RgbImage tri = world.render(new Scene(ToyColour.BLACK,
                List.of(new ShapeSpec(ShapeKind.TRIANGLE, ShapeSize.BIG, ToyColour.WHITE, 32, 32)), Optional.empty()));
        assertThat(rowCount(tri, 17)).isLessThan(rowCount(tri, 46));
    }

    @Test
    void captionsAreParsedBackToTrueFacts() {
        Random r = new Random(11);
        Set<String> distinctTemplates = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            Scene scene = world.scene(r);
            String caption = world.caption(scene, r);
            Spec spec = ToyPrompt.parse(caption).orElseThrow(() -> new AssertionError(caption));
            assertThat(spec.shapes()).hasSameSizeAs(scene.shapes());
            spec.background().ifPresent(bg -> assertThat(bg).isEqualTo(scene.background()));
            for (ShapeQuery q : spec.shapes()) {
                assertThat(scene.shapes()).anySatisfy(s -> {
                    q.colour().ifPresent(c -> assertThat(c).isEqualTo(s.colour()));
                    q.kind().ifPresent(k -> assertThat(k).isEqualTo(s.kind()));
                    q.size().ifPresent(z -> assertThat(z).isEqualTo(s.size()));
                });
            }
            distinctTemplates.add(caption.replaceAll("red|green|blue|yellow|purple|orange|white|black", "C")
                    .replaceAll("circle|square|triangle|cross", "K").replaceAll("small|big", "S")
                    .replaceAll("left of|right of|above|below", "R").replaceAll("\\ban\\b", "a")
                    .replaceAll("on the left|on the right|at the top|at the bottom|in the centre", "P"));
        }
        assertThat(distinctTemplates).hasSize(13);
    }

    @Test
    void sceneForMakesWhatAPromptAsksAndRefusesTheImpossible() {
        Random r = new Random(2);
        Spec spec = ToyPrompt.parse("a big green cross at the top on a yellow background").orElseThrow();
        Scene scene = world.sceneFor(spec, r).orElseThrow();
        assertThat(scene.background()).isEqualTo(ToyColour.YELLOW);
        assertThat(scene.shapes()).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(ShapeKind.CROSS);
            assertThat(s.size()).isEqualTo(ShapeSize.BIG);
            assertThat(s.colour()).isEqualTo(ToyColour.GREEN);
            assertThat(Position.of(s.centreX(), s.centreY(), 64, 64)).isEqualTo(Position.TOP);
        });
        assertThat(world.sceneFor(ToyPrompt.parse("a red circle on a red background").orElseThrow(), r)).isEmpty();
        assertThat(world.sceneFor(ToyPrompt.parse("a red circle left of a red square").orElseThrow(), r)).isEmpty();
        assertThat(world.sceneFor(ToyPrompt.parse("a big red circle above a big blue square").orElseThrow(), r)).isEmpty();
    }

    private int area(ShapeKind kind, ShapeSize size) {
        RgbImage img = world.render(new Scene(ToyColour.BLACK,
                List.of(new ShapeSpec(kind, size, ToyColour.WHITE, 32, 32)), Optional.empty()));
        int n = 0;
        for (int y = 0; y < 64; y++) {
            n += rowCount(img, y);
        }
        return n;
    }

    private static int rowCount(RgbImage img, int y) {
        int n = 0;
        for (int x = 0; x < 64; x++) {
            if (img.rgb(x, y) == ToyColour.WHITE.rgb()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void variants_keep_the_colours_and_change_exactly_one_attribute_of_the_scene() {
        Random random = new Random(11);
        Set<String> changed = new HashSet<>();
        for (int n = 0; n < 300; n++) {
            Scene base = world.scene(random);
            List<Scene> variants = world.variants(base, random);
            assertThat(variants).hasSize(3);
            Set<String> captions = new HashSet<>();
            captions.add(ToyClipEvaluation.fullCaption(base));
            for (Scene v : variants) {
                assertThat(v.background()).isEqualTo(base.background());
                assertThat(v.shapes().stream().map(ShapeSpec::colour).toList())
                        .isEqualTo(base.shapes().stream().map(ShapeSpec::colour).toList());
                Spec a = Spec.of(base, 64, 64);
                Spec b = Spec.of(v, 64, 64);
                List<String> differences = new java.util.ArrayList<>();
                long kinds = java.util.stream.IntStream.range(0, a.shapes().size())
                        .filter(i -> !a.shapes().get(i).kind().equals(b.shapes().get(i).kind())).count();
                if (kinds > 0) {
                    assertThat(kinds).as("one shape changes kind").isEqualTo(1);
                    differences.add("kind");
                }
                if (!a.shapes().stream().map(ShapeQuery::size).toList()
                        .equals(b.shapes().stream().map(ShapeQuery::size).toList())) {
                    differences.add("size");
                }
                if (!a.shapes().stream().map(ShapeQuery::position).toList()
                        .equals(b.shapes().stream().map(ShapeQuery::position).toList())) {
                    differences.add("position");
                }
                if (!a.relation().equals(b.relation())) {
                    differences.add("relation");
                }
                assertThat(differences).as("%s vs %s", ToyClipEvaluation.fullCaption(base),
                        ToyClipEvaluation.fullCaption(v)).hasSize(1);
                changed.add(base.shapes().size() + " " + differences.get(0));
                assertThat(captions.add(ToyClipEvaluation.fullCaption(v))).as("variants are distinct").isTrue();
            }
        }
        assertThat(changed).containsExactlyInAnyOrder("1 kind", "1 size", "1 position", "2 kind", "2 size",
                "2 relation");
    }

    @Test
    void variants_are_a_pure_function_of_the_random_state() {
        Scene base = world.scene(new Random(5));
        assertThat(world.variants(base, new Random(9))).isEqualTo(world.variants(base, new Random(9)));
    }

    @Test
    void a_caption_against_its_variants_is_true_of_its_picture_and_false_of_each_sibling() {
        Random random = new Random(12);
        ToyJudge judge = new ToyJudge();
        Set<String> shortOnes = new HashSet<>();
        for (int n = 0; n < 100; n++) {
            Scene base = world.scene(random);
            List<Scene> group = new java.util.ArrayList<>(List.of(base));
            group.addAll(world.variants(base, random));
            for (Scene scene : group) {
                List<Scene> siblings = group.stream().filter(o -> o != scene).toList();
                String caption = world.captionAgainst(scene, siblings, random);
                Spec spec = ToyPrompt.parse(caption).orElseThrow();
                assertThat(judge.judge(world.render(scene), spec).passed()).as(caption).isTrue();
                for (Scene sibling : siblings) {
                    assertThat(judge.judge(world.render(sibling), spec).passed())
                            .as("%s is false of %s", caption, ToyClipEvaluation.fullCaption(sibling)).isFalse();
                }
                if (!caption.equals(ToyClipEvaluation.fullCaption(scene))) {
                    shortOnes.add(caption);
                }
            }
        }
        assertThat(shortOnes).as("not only full captions").hasSizeGreaterThan(50);
    }
}
