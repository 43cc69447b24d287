package dev.dreamoven.lab.toyworld;

import dev.dreamoven.image.ColourSpace;
import dev.dreamoven.image.PixelArt;
import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Says without any model whether a picture shows what a toy-world {@link Spec} asks for.
 *
 * <ol>
 * <li>Every pixel (rounded to 8 bits per channel) becomes its nearest named {@link ToyColour}
 *     (CIELAB), then, on pictures of 48 px and more, a 3×3 majority filter removes speckle (dreamed
 *     pictures are noisy).</li>
 * <li>The background is the most common colour on the border.</li>
 * <li>Shapes are 4-connected components of one non-background colour with at least 2% of the
 *     pixels; smaller ones are noise.</li>
 * <li>A component's kind is the nearest prototype in (fill of bounding box, fill of the top and of
 *     the bottom corner ninths, height of the centre of mass): circle (π/4, .52, .52, .5), square
 *     (1, 1, 1, .5), triangle (1/2, 0, .75, 2/3), cross (5/9, 0, 0, .5); too far from all of them,
 *     or a bounding box far from square, is "no known shape".</li>
 * <li>Size: extent over 36% of the side is big, else small. Position: {@link Position#of} on the
 *     bounding-box centre; relation: {@link Relation#of} on the two centres.</li>
 * </ol>
 * For a shape whose colour is asked, the largest component of that colour is judged; for a shape
 * without colour, the component that satisfies most asked attributes (larger first).
 */
public final class ToyJudge {

    /** Components below this fraction of the pixels are noise. */
    public static final double MIN_COMPONENT_FRACTION = 0.02;
    /** Extent (fraction of the side) from which a shape counts as big: between 1/4 and 1/2. */
    public static final double BIG_FROM = 0.36;
    private static final double MAX_PROTOTYPE_DISTANCE = 0.45;
    /**
     * Below this side a 3×3 majority filter would erase a small shape's outline (an 8 px circle
     * becomes a square), so small pictures are judged unfiltered.
     */
    private static final int MIN_SIDE_FOR_DESPECKLE = 48;

    private static final List<ToyColour> COLOURS = List.of(ToyColour.values());

    /** Lab of each named colour, in {@link ToyColour} order. */
    private final double[][] colourLabs = new double[COLOURS.size()][];

    public ToyJudge() {
        for (int k = 0; k < COLOURS.size(); k++) {
            colourLabs[k] = ColourSpace.lab(COLOURS.get(k).rgb());
        }
    }

    /** A connected region of one colour and what it looks like. */
    public record Component(ToyColour colour, int pixels, int minX, int minY, int maxX, int maxY,
            ShapeKind kind, double fill, double prototypeDistance, ShapeSize size, Position position) {

        public double centreX() {
            return (minX + maxX + 1) / 2.0;
        }

        public double centreY() {
            return (minY + maxY + 1) / 2.0;
        }

        public Optional<ShapeKind> knownKind() {
            return Optional.ofNullable(kind);
        }

        String describe() {
            return String.format(Locale.ROOT, "%s %s %s (%d px, fill %.2f)", size.word(), colour.word(),
                    kind == null ? "blob" : kind.word(), pixels, fill);
        }
    }

    /** What the judge sees: the background and the shapes, largest first. */
    public record Analysis(ToyColour background, List<Component> components) {
    }

    public Analysis analyse(RgbImage img) {
        int w = img.width();
        int h = img.height();
        int[] labels = labels(img);
        if (Math.min(w, h) >= MIN_SIDE_FOR_DESPECKLE) {
            labels = majority(labels, w, h);
        }
        int[] borderCounts = new int[COLOURS.size()];
        for (int x = 0; x < w; x++) {
            borderCounts[labels[x]]++;
            borderCounts[labels[(h - 1) * w + x]]++;
        }
        for (int y = 1; y < h - 1; y++) {
            borderCounts[labels[y * w]]++;
            borderCounts[labels[y * w + w - 1]]++;
        }
        int background = 0;
        for (int k = 1; k < COLOURS.size(); k++) {
            if (borderCounts[k] > borderCounts[background]) {
                background = k;
            }
        }
        List<Component> components = components(labels, w, h, background);
        components.sort(Comparator.comparingInt(Component::pixels).reversed());
        return new Analysis(COLOURS.get(background), components);
    }

    public Verdict judge(RgbImage img, Spec spec) {
        Analysis analysis = analyse(img);
        List<ShapeQuery> queries = spec.shapes();
        List<List<Component>> candidates = new ArrayList<>();
        for (ShapeQuery q : queries) {
            List<Component> c = analysis.components().stream()
                    .filter(comp -> q.colour().map(colour -> colour == comp.colour()).orElse(true))
                    .toList();
            // With the colour asked, the largest of that colour is the shape (the next one too when
            // both shapes ask for the same colour); without, any of the largest few may be.
            int keep = q.colour().isPresent() ? sameColourQueries(queries, q) : 6;
            candidates.add(c.subList(0, Math.min(keep, c.size())));
        }
        List<Verdict.Check> best = null;
        int bestPassed = -1;
        for (Component a : withNone(candidates.get(0))) {
            if (queries.size() == 1) {
                List<Verdict.Check> checks = checks(analysis, spec, a, null);
                int passed = countPassed(checks);
                if (passed > bestPassed) {
                    best = checks;
                    bestPassed = passed;
                }
                continue;
            }
            for (Component b : withNone(candidates.get(1))) {
                if (a != null && a == b) {
                    continue;
                }
                List<Verdict.Check> checks = checks(analysis, spec, a, b);
                int passed = countPassed(checks);
                if (passed > bestPassed) {
                    best = checks;
                    bestPassed = passed;
                }
            }
        }
        boolean passed = best.stream().allMatch(Verdict.Check::passed);
        return new Verdict(passed, best);
    }

    private static int sameColourQueries(List<ShapeQuery> queries, ShapeQuery q) {
        return (int) queries.stream().filter(other -> other.colour().equals(q.colour())).count();
    }

    private static List<Component> withNone(List<Component> candidates) {
        List<Component> out = new ArrayList<>(candidates);
        out.add(null); // "not found" is always a possible (losing) assignment
        return out;
    }

    private static int countPassed(List<Verdict.Check> checks) {
        return (int) checks.stream().filter(Verdict.Check::passed).count();
    }

    private List<Verdict.Check> checks(Analysis analysis, Spec spec, Component a, Component b) {
        List<Verdict.Check> checks = new ArrayList<>();
        spec.background().ifPresent(bg -> checks.add(new Verdict.Check("background", analysis.background() == bg,
                analysis.background() == bg ? bg.word() : "looks " + analysis.background().word() + ", not " + bg.word())));
        List<ShapeQuery> queries = spec.shapes();
        for (int s = 0; s < queries.size(); s++) {
            ShapeQuery q = queries.get(s);
            Component c = s == 0 ? a : b;
            String name = "shape " + (s + 1);
            if (c == null) {
                checks.add(new Verdict.Check(name, false, "no " + q.describe() + " found"));
                continue;
            }
            checks.add(new Verdict.Check(name, true, "found " + c.describe()));
            q.kind().ifPresent(kind -> checks.add(new Verdict.Check(name + " kind", c.kind() == kind,
                    c.kind() == kind ? kind.word()
                            : "looks like " + (c.kind() == null ? "no known shape" : "a " + c.kind().word())
                                    + ", not a " + kind.word())));
            q.size().ifPresent(size -> checks.add(new Verdict.Check(name + " size", c.size() == size,
                    c.size() == size ? size.word() : "is " + c.size().word() + ", not " + size.word())));
            q.position().ifPresent(pos -> checks.add(new Verdict.Check(name + " position", c.position() == pos,
                    c.position() == pos ? pos.word() : "is " + c.position().phrase() + ", not " + pos.phrase())));
        }
        spec.relation().ifPresent(relation -> {
            if (a == null || b == null) {
                checks.add(new Verdict.Check("relation", false, "needs both shapes"));
            } else {
                Relation seen = Relation.of(a.centreX(), a.centreY(), b.centreX(), b.centreY());
                checks.add(new Verdict.Check("relation", seen == relation, seen == relation
                        ? "shape 1 " + relation.phrase() + " shape 2"
                        : "shape 1 is " + seen.phrase() + " shape 2, not " + relation.phrase()));
            }
        });
        return checks;
    }

    private int[] labels(RgbImage img) {
        int w = img.width();
        int h = img.height();
        int[] labels = new int[w * h];
        Map<Integer, Integer> byColour = new HashMap<>(); // pictures repeat colours; Lab is costly
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                labels[y * w + x] = byColour.computeIfAbsent(img.rgb(x, y),
                        rgb -> PixelArt.nearest(ColourSpace.lab(rgb), colourLabs));
            }
        }
        return labels;
    }

    /** Each label becomes the most common one of its 3×3 neighbourhood, unless it is among the most common. */
    private static int[] majority(int[] labels, int w, int h) {
        int[] out = new int[labels.length];
        int[] counts = new int[COLOURS.size()];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                java.util.Arrays.fill(counts, 0);
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = Math.min(w - 1, Math.max(0, x + dx));
                        int ny = Math.min(h - 1, Math.max(0, y + dy));
                        counts[labels[ny * w + nx]]++;
                    }
                }
                int own = labels[y * w + x];
                int best = own;
                for (int k = 0; k < counts.length; k++) {
                    if (counts[k] > counts[best]) {
                        best = k;
                    }
                }
                out[y * w + x] = best;
            }
        }
        return out;
    }

    private static List<Component> components(int[] labels, int w, int h, int background) {
        int minPixels = (int) Math.ceil(MIN_COMPONENT_FRACTION * w * h);
        boolean[] seen = new boolean[labels.length];
        int[] stack = new int[labels.length];
        int[] members = new int[labels.length];
        List<Component> out = new ArrayList<>();
        for (int start = 0; start < labels.length; start++) {
            if (seen[start] || labels[start] == background) {
                continue;
            }
            int label = labels[start];
            int top = 0;
            int count = 0;
            stack[top++] = start;
            seen[start] = true;
            while (top > 0) {
                int p = stack[--top];
                members[count++] = p;
                int x = p % w;
                int y = p / w;
                if (x > 0) {
                    top = push(labels, seen, stack, top, p - 1, label);
                }
                if (x < w - 1) {
                    top = push(labels, seen, stack, top, p + 1, label);
                }
                if (y > 0) {
                    top = push(labels, seen, stack, top, p - w, label);
                }
                if (y < h - 1) {
                    top = push(labels, seen, stack, top, p + w, label);
                }
            }
            if (count >= minPixels) {
                out.add(describe(COLOURS.get(label), members, count, w, h));
            }
        }
        return out;
    }

    /** Length of pixel [p, p + 1) inside [from, to). */
    private static double overlap(int p, double from, double to) {
        return Math.max(0, Math.min(p + 1, to) - Math.max(p, from));
    }

    private static int push(int[] labels, boolean[] seen, int[] stack, int top, int p, int label) {
        if (!seen[p] && labels[p] == label) {
            seen[p] = true;
            stack[top++] = p;
        }
        return top;
    }

    private static Component describe(ToyColour colour, int[] members, int count, int w, int h) {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int k = 0; k < count; k++) {
            int x = members[k] % w;
            int y = members[k] / w;
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        int bw = maxX - minX + 1;
        int bh = maxY - minY + 1;
        // Corner boxes are the outer thirds of the bounding box; a pixel counts with the part of its
        // area inside a box, so that boxes of fractional size (a 16 px box has 5.33 px thirds) are
        // measured fairly.
        double[] corners = new double[4]; // top-left, top-right, bottom-left, bottom-right
        double sumY = 0;
        for (int k = 0; k < count; k++) {
            int x = members[k] % w - minX;
            int y = members[k] / w - minY;
            sumY += (y + 0.5) / bh;
            double left = overlap(x, 0, bw / 3.0);
            double right = overlap(x, 2 * bw / 3.0, bw);
            double upper = overlap(y, 0, bh / 3.0);
            double lower = overlap(y, 2 * bh / 3.0, bh);
            corners[0] += left * upper;
            corners[1] += right * upper;
            corners[2] += left * lower;
            corners[3] += right * lower;
        }
        double cornerArea = bw * bh / 9.0;
        double fill = count / (double) (bw * bh);
        double top = (corners[0] + corners[1]) / (2 * cornerArea);
        double bottom = (corners[2] + corners[3]) / (2 * cornerArea);
        double massY = sumY / count;
        double[][] prototypes = {
            {Math.PI / 4, 0.52, 0.52, 0.5}, // circle
            {1, 1, 1, 0.5}, // square
            {0.5, 0, 0.75, 2.0 / 3}, // triangle
            {5.0 / 9, 0, 0, 0.5}, // cross
        };
        double[] features = {fill, Math.min(1, top), Math.min(1, bottom), massY};
        int bestKind = 0;
        double bestDistance = Double.MAX_VALUE;
        for (int k = 0; k < prototypes.length; k++) {
            double d = 0;
            for (int f = 0; f < 4; f++) {
                double diff = (features[f] - prototypes[k][f]) * (f == 3 ? 3 : 1);
                d += diff * diff;
            }
            d = Math.sqrt(d);
            if (d < bestDistance) {
                bestDistance = d;
                bestKind = k;
            }
        }
        double aspect = bw / (double) bh;
        boolean known = bestDistance <= MAX_PROTOTYPE_DISTANCE && aspect > 0.6 && aspect < 1.67;
        ShapeKind kind = known ? ShapeKind.values()[bestKind] : null;
        double extent = Math.max(bw / (double) w, bh / (double) h);
        ShapeSize size = extent >= BIG_FROM ? ShapeSize.BIG : ShapeSize.SMALL;
        Position position = Position.of((minX + maxX + 1) / 2.0, (minY + maxY + 1) / 2.0, w, h);
        return new Component(colour, count, minX, minY, maxX, maxY, kind, fill, bestDistance, size, position);
    }
}
