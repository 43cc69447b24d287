package dev.dreamoven.lab.toyworld;

import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The procedural world the project's small CLIP is trained on and judged in: 64×64 pictures of one
 * or two coloured shapes on a plain background, with template captions that state only true facts.
 * Everything is a pure function of the seed / {@link Random} given.
 *
 * <p>Layout rules (shared with {@link Position#of} and {@link Relation#of}, which the judge uses):
 * shapes are drawn with hard edges (no anti-aliasing, so every pixel is exactly a named colour);
 * a lone shape sits 4 px (+0..2 jitter) from the edge it is named after and within ±3 px of the
 * middle on the other axis, or within ±2 px of the centre; two shapes sit side by side (or one above
 * the other) with a 6..10 px gap, at most one of them big, within ±4 px of the middle across.
 */
public final class ToyWorld {

    /** Image side in pixels. */
    public static final int SIDE = 64;

    private static final int MARGIN = 4;

    /** Render one or all of these for a reproducible gallery; {@code samples} is what training uses. */
    public List<Sample> samples(long seed, int n) {
        Random random = new Random(seed);
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Scene scene = scene(random);
            out.add(new Sample(render(scene), caption(scene, random), scene));
        }
        return out;
    }

    /** A random scene: one shape (60%) or two shapes with a relation (40%). */
    public Scene scene(Random random) {
        ToyColour[] colours = ToyColour.values();
        ToyColour background = colours[random.nextInt(colours.length)];
        if (random.nextDouble() < 0.6) {
            ShapeKind kind = pick(random, ShapeKind.values());
            ShapeSize size = pick(random, ShapeSize.values());
            ToyColour colour = otherColour(random, background, null);
            Position position = pick(random, Position.values());
            return new Scene(background, List.of(placeAlone(kind, size, colour, position, random)), Optional.empty());
        }
        ShapeSize sizeA = pick(random, ShapeSize.values());
        ShapeSize sizeB = sizeA == ShapeSize.BIG ? ShapeSize.SMALL : pick(random, ShapeSize.values());
        ToyColour colourA = otherColour(random, background, null);
        ToyColour colourB = otherColour(random, background, colourA);
        return placePair(background, pick(random, ShapeKind.values()), sizeA, colourA,
                pick(random, ShapeKind.values()), sizeB, colourB, pick(random, Relation.values()), random);
    }

    /**
     * A scene that satisfies {@code spec}, with every attribute it leaves open drawn at random;
     * empty when the world cannot show it (a shape of the background colour, two shapes of one
     * colour, two big shapes, or positions asked for two shapes).
     */
    public Optional<Scene> sceneFor(Spec spec, Random random) {
        List<ShapeQuery> q = spec.shapes();
        for (ShapeQuery s : q) {
            if (s.colour().isPresent() && s.colour().equals(spec.background())) {
                return Optional.empty();
            }
        }
        if (q.size() == 1) {
            ShapeQuery s = q.get(0);
            ToyColour colour = s.colour().orElse(null);
            ToyColour background = spec.background().orElseGet(() -> otherColour(random, colour, null));
            ToyColour shapeColour = colour != null ? colour : otherColour(random, background, null);
            return Optional.of(new Scene(background, List.of(placeAlone(
                    s.kind().orElseGet(() -> pick(random, ShapeKind.values())),
                    s.size().orElseGet(() -> pick(random, ShapeSize.values())),
                    shapeColour,
                    s.position().orElseGet(() -> pick(random, Position.values())), random)), Optional.empty()));
        }
        ShapeQuery a = q.get(0);
        ShapeQuery b = q.get(1);
        if (a.position().isPresent() || b.position().isPresent()) {
            return Optional.empty();
        }
        if (a.colour().isPresent() && a.colour().equals(b.colour())) {
            return Optional.empty();
        }
        if (a.size().equals(Optional.of(ShapeSize.BIG)) && b.size().equals(Optional.of(ShapeSize.BIG))) {
            return Optional.empty();
        }
        ToyColour background = spec.background().orElse(null);
        if (background == null) {
            do {
                background = pick(random, ToyColour.values());
            } while (a.colour().equals(Optional.of(background)) || b.colour().equals(Optional.of(background)));
        }
        ToyColour colourA = a.colour().orElse(null);
        ToyColour colourB = b.colour().orElse(null);
        if (colourA == null) {
            colourA = otherColour(random, background, colourB);
        }
        if (colourB == null) {
            colourB = otherColour(random, background, colourA);
        }
        ShapeSize sizeA = a.size().orElse(null);
        ShapeSize sizeB = b.size().orElse(null);
        if (sizeA == null) {
            sizeA = sizeB == ShapeSize.BIG ? ShapeSize.SMALL : pick(random, ShapeSize.values());
        }
        if (sizeB == null) {
            sizeB = sizeA == ShapeSize.BIG ? ShapeSize.SMALL : pick(random, ShapeSize.values());
        }
        return Optional.of(placePair(background,
                a.kind().orElseGet(() -> pick(random, ShapeKind.values())), sizeA, colourA,
                b.kind().orElseGet(() -> pick(random, ShapeKind.values())), sizeB, colourB,
                spec.relation().orElseGet(() -> pick(random, Relation.values())), random));
    }

    /**
     * Three hard negatives of {@code base}: scenes with the same background and colours that each
     * differ from it in exactly one attribute (one shape: kind, size or position; two shapes: the
     * kind of one shape, the sizes, or the relation), drawn at random, all four scenes distinct in
     * what a full caption says of them. Used to make contrastive batches that colour cannot solve.
     */
    public List<Scene> variants(Scene base, Random random) {
        List<Scene> out = new ArrayList<>(3);
        java.util.Set<String> seen = new java.util.HashSet<>();
        seen.add(ToyClipEvaluation.fullCaption(base));
        for (int tries = 0; out.size() < 3 && tries < 200; tries++) {
            Scene v = base.shapes().size() == 1 ? singleVariant(base, random) : pairVariant(base, random);
            if (seen.add(ToyClipEvaluation.fullCaption(v))) {
                out.add(v);
            }
        }
        return out;
    }

    private Scene singleVariant(Scene base, Random random) {
        ShapeSpec s = base.shapes().get(0);
        Position position = Position.of(s.centreX(), s.centreY(), SIDE, SIDE);
        return switch (random.nextInt(3)) {
            case 0 -> new Scene(base.background(), List.of(new ShapeSpec(other(random, ShapeKind.values(), s.kind()),
                    s.size(), s.colour(), s.centreX(), s.centreY())), Optional.empty());
            case 1 -> new Scene(base.background(), List.of(placeAlone(s.kind(),
                    s.size() == ShapeSize.BIG ? ShapeSize.SMALL : ShapeSize.BIG, s.colour(), position, random)),
                    Optional.empty());
            default -> new Scene(base.background(), List.of(placeAlone(s.kind(), s.size(), s.colour(),
                    other(random, Position.values(), position), random)), Optional.empty());
        };
    }

    private Scene pairVariant(Scene base, Random random) {
        ShapeSpec a = base.shapes().get(0);
        ShapeSpec b = base.shapes().get(1);
        Relation relation = base.relation().orElseThrow();
        switch (random.nextInt(4)) {
            case 0:
                return new Scene(base.background(), List.of(new ShapeSpec(other(random, ShapeKind.values(), a.kind()),
                        a.size(), a.colour(), a.centreX(), a.centreY()), b), base.relation());
            case 1:
                return new Scene(base.background(), List.of(a, new ShapeSpec(other(random, ShapeKind.values(),
                        b.kind()), b.size(), b.colour(), b.centreX(), b.centreY())), base.relation());
            case 2: {
                ShapeSize[][] sizes = {{ShapeSize.SMALL, ShapeSize.SMALL}, {ShapeSize.SMALL, ShapeSize.BIG},
                    {ShapeSize.BIG, ShapeSize.SMALL}};
                ShapeSize[] pick;
                do {
                    pick = sizes[random.nextInt(sizes.length)];
                } while (pick[0] == a.size() && pick[1] == b.size());
                return placePair(base.background(), a.kind(), pick[0], a.colour(), b.kind(), pick[1], b.colour(),
                        relation, random);
            }
            default:
                return placePair(base.background(), a.kind(), a.size(), a.colour(), b.kind(), b.size(), b.colour(),
                        other(random, Relation.values(), relation), random);
        }
    }

    /**
     * A random template caption of {@code scene} that is false for each of {@code others} (it
     * names an attribute in which they differ), or the full caption when a few draws find none.
     * Assumes the others share the scene's colours and background, as {@link #variants} makes them.
     */
    public String captionAgainst(Scene scene, List<Scene> others, Random random) {
        Spec own = Spec.of(scene, SIDE, SIDE);
        for (int attempt = 0; attempt < 16; attempt++) {
            String caption = caption(scene, random);
            boolean mentionsSize = caption.contains("small ") || caption.contains("big ");
            boolean mentionsPosition = java.util.Arrays.stream(Position.values())
                    .anyMatch(p -> caption.contains(p.phrase()));
            boolean allFalse = true;
            for (Scene other : others) {
                Spec theirs = Spec.of(other, SIDE, SIDE);
                if (!tells(own, theirs, mentionsSize, mentionsPosition)) {
                    allFalse = false;
                    break;
                }
            }
            if (allFalse) {
                return caption;
            }
        }
        return ToyClipEvaluation.fullCaption(scene);
    }

    /** Whether a caption naming kinds and relation (always) and size / position (when flagged) tells them apart. */
    private static boolean tells(Spec own, Spec theirs, boolean size, boolean position) {
        if (own.shapes().size() != theirs.shapes().size() || !own.relation().equals(theirs.relation())) {
            return true;
        }
        for (int i = 0; i < own.shapes().size(); i++) {
            ShapeQuery x = own.shapes().get(i);
            ShapeQuery y = theirs.shapes().get(i);
            if (!x.kind().equals(y.kind()) || !x.colour().equals(y.colour())
                    || (size && !x.size().equals(y.size())) || (position && !x.position().equals(y.position()))) {
                return true;
            }
        }
        return false;
    }

    private static <T> T other(Random random, T[] values, T not) {
        T v;
        do {
            v = values[random.nextInt(values.length)];
        } while (v.equals(not));
        return v;
    }

    /** Hard-edged rendering at {@link #SIDE}×{@link #SIDE}; each pixel is sampled at its centre. */
    public RgbImage render(Scene scene) {
        return draw(scene.background(), scene.shapes().stream().map(Figure::of).toList());
    }

    /**
     * Draws figures of any extent and place, in order, with the world's own rule (hard edges,
     * pixel centres): the world's scenes, and pictures just outside it (near-misses, tests).
     */
    public RgbImage draw(ToyColour background, List<Figure> figures) {
        int plane = SIDE * SIDE;
        int[] pixels = new int[plane];
        java.util.Arrays.fill(pixels, background.rgb());
        for (Figure f : figures) {
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    double u = (x + 0.5 - f.centreX()) / f.extent() + 0.5; // 0..1 across the bounding box
                    double v = (y + 0.5 - f.centreY()) / f.extent() + 0.5; // 0..1 down the bounding box
                    if (covers(f.kind(), u, v)) {
                        pixels[y * SIDE + x] = f.colour().rgb();
                    }
                }
            }
        }
        float[] d = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            d[i] = ((pixels[i] >> 16) & 0xFF) / 255f;
            d[plane + i] = ((pixels[i] >> 8) & 0xFF) / 255f;
            d[2 * plane + i] = (pixels[i] & 0xFF) / 255f;
        }
        return new RgbImage(SIDE, SIDE, d);
    }

    /** Whether the unit bounding-box point (u, v), v growing downwards, is inside the shape. */
    static boolean covers(ShapeKind kind, double u, double v) {
        if (u < 0 || u >= 1 || v < 0 || v >= 1) {
            return false;
        }
        double du = u - 0.5;
        double dv = v - 0.5;
        return switch (kind) {
            case SQUARE -> true;
            case CIRCLE -> du * du + dv * dv <= 0.25;
            case TRIANGLE -> Math.abs(du) <= v / 2;
            case CROSS -> Math.abs(du) <= 1.0 / 6 || Math.abs(dv) <= 1.0 / 6;
        };
    }

    /**
     * A caption from the fixed templates, drawn at random; it states only facts of the scene.
     * One shape: {@code a [size] colour kind [position] [on a bg background]} (9 templates);
     * two shapes: {@code a [size] colour kind REL a [size] colour kind [on a bg background]}
     * (4 templates), REL stated from either shape ("a left of b" or "b right of a").
     */
    public String caption(Scene scene, Random random) {
        String background = " on " + article(scene.background().word()) + " background";
        if (scene.shapes().size() == 1) {
            ShapeSpec s = scene.shapes().get(0);
            String position = " " + Position.of(s.centreX(), s.centreY(), SIDE, SIDE).phrase();
            return switch (random.nextInt(9)) {
                case 0 -> phrase(s, false);
                case 1 -> phrase(s, true);
                case 2 -> phrase(s, false) + background;
                case 3 -> phrase(s, true) + background;
                case 4 -> phrase(s, false) + position;
                case 5 -> phrase(s, true) + position;
                case 6 -> phrase(s, true) + position + background;
                case 7 -> phrase(s, false) + position + background;
                default -> article(s.kind().word()) + background;
            };
        }
        ShapeSpec first = scene.shapes().get(0);
        ShapeSpec second = scene.shapes().get(1);
        Relation relation = scene.relation().orElseThrow();
        if (random.nextBoolean()) {
            ShapeSpec t = first;
            first = second;
            second = t;
            relation = relation.inverse();
        }
        return switch (random.nextInt(4)) {
            case 0 -> phrase(first, false) + " " + relation.phrase() + " " + phrase(second, false);
            case 1 -> phrase(first, true) + " " + relation.phrase() + " " + phrase(second, true);
            case 2 -> phrase(first, false) + " " + relation.phrase() + " " + phrase(second, false) + background;
            default -> phrase(first, true) + " " + relation.phrase() + " " + phrase(second, true) + background;
        };
    }

    private static String phrase(ShapeSpec s, boolean withSize) {
        String words = (withSize ? s.size().word() + " " : "") + s.colour().word() + " " + s.kind().word();
        return article(words);
    }

    private static String article(String words) {
        return ("aeiou".indexOf(words.charAt(0)) >= 0 ? "an " : "a ") + words;
    }

    private static ShapeSpec placeAlone(ShapeKind kind, ShapeSize size, ToyColour colour, Position position,
            Random random) {
        double half = size.extent(SIDE) / 2.0;
        int inward = random.nextInt(3);
        int across = random.nextInt(7) - 3;
        double middle = SIDE / 2.0;
        double near = MARGIN + half + inward;
        double far = SIDE - MARGIN - half - inward;
        return switch (position) {
            case LEFT -> new ShapeSpec(kind, size, colour, near, middle + across);
            case RIGHT -> new ShapeSpec(kind, size, colour, far, middle + across);
            case TOP -> new ShapeSpec(kind, size, colour, middle + across, near);
            case BOTTOM -> new ShapeSpec(kind, size, colour, middle + across, far);
            case CENTRE -> new ShapeSpec(kind, size, colour, middle + random.nextInt(5) - 2,
                    middle + random.nextInt(5) - 2);
        };
    }

    private static Scene placePair(ToyColour background, ShapeKind kindA, ShapeSize sizeA, ToyColour colourA,
            ShapeKind kindB, ShapeSize sizeB, ToyColour colourB, Relation relation, Random random) {
        int extentA = sizeA.extent(SIDE);
        int extentB = sizeB.extent(SIDE);
        int minMargin = 3;
        int maxGap = Math.min(10, SIDE - 2 * minMargin - extentA - extentB);
        int gap = 6 + random.nextInt(Math.max(1, maxGap - 6 + 1));
        int total = extentA + gap + extentB;
        int slack = (SIDE - total) / 2 - minMargin;
        int start = (SIDE - total) / 2 + (slack > 0 ? random.nextInt(2 * slack + 1) - slack : 0);
        // A comes first along the axis when it is left of / above B.
        boolean aFirst = relation == Relation.LEFT_OF || relation == Relation.ABOVE;
        double firstExtent = aFirst ? extentA : extentB;
        double secondExtent = aFirst ? extentB : extentA;
        double firstCentre = start + firstExtent / 2;
        double secondCentre = start + firstExtent + gap + secondExtent / 2;
        double alongA = aFirst ? firstCentre : secondCentre;
        double alongB = aFirst ? secondCentre : firstCentre;
        double acrossA = SIDE / 2.0 + random.nextInt(9) - 4;
        double acrossB = SIDE / 2.0 + random.nextInt(9) - 4;
        ShapeSpec a;
        ShapeSpec b;
        if (relation.horizontal()) {
            a = new ShapeSpec(kindA, sizeA, colourA, alongA, acrossA);
            b = new ShapeSpec(kindB, sizeB, colourB, alongB, acrossB);
        } else {
            a = new ShapeSpec(kindA, sizeA, colourA, acrossA, alongA);
            b = new ShapeSpec(kindB, sizeB, colourB, acrossB, alongB);
        }
        return new Scene(background, List.of(a, b), Optional.of(relation));
    }

    private static ToyColour otherColour(Random random, ToyColour not1, ToyColour not2) {
        ToyColour[] colours = ToyColour.values();
        ToyColour c;
        do {
            c = colours[random.nextInt(colours.length)];
        } while (c == not1 || c == not2);
        return c;
    }

    private static <T> T pick(Random random, T[] values) {
        return values[random.nextInt(values.length)];
    }
}
