package dev.dreamoven.lab.toyworld;

import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Says without any model whether a picture shows what a toy-world {@link Spec} asks for, strictly:
 * one region per asked shape, each the asked shape's own outline.
 *
 * <ol>
 * <li>Every pixel becomes the nearest of the world's 8 {@link ToyColour}s (squared RGB distance).</li>
 * <li>The background is the most common colour on the 1-px border; an asked background must match.</li>
 * <li>Regions are the 4-connected components of each non-background colour, largest first.</li>
 * <li>Each asked shape, in prompt order, takes the largest region not yet taken of its colour (of
 *     any colour when the prompt names none). It fails when there is none, when it covers under
 *     {@value #MIN_REGION_FRACTION} of the pixels, or when its bounding box touches the border ("cut
 *     by the edge"). Its kind: each kind's template is drawn with the world's own rule
 *     ({@link ToyWorld#covers}, at pixel centres) into the square of side max(w, h) centred on the
 *     region's bounding box, and compared by IoU with the region; the asked kind must reach
 *     {@value #MIN_IOU} and be the best of the four (with no kind asked, the best must reach it).
 *     Size: extent max(w, h) / side ≥ {@value #BIG_FROM} is big. Position: {@link Position#of} on
 *     the bounding-box centre.</li>
 * <li>Any other region of at least {@value #MIN_REGION_FRACTION} of the pixels, of any colour, is
 *     an extra region and fails the picture.</li>
 * <li>Relation: {@link Relation#of} on the two bounding-box centres.</li>
 * </ol>
 * Controls (its tests): clean renders are accepted, captions with one attribute changed rejected,
 * random blobs and cell masks in the right colours accepted at most 2 % of the time.
 */
public final class ToyJudge {

    /** Regions below this share of the pixels are too small to be an asked shape and may stay as noise. */
    public static final double MIN_REGION_FRACTION = 0.01;
    /** The IoU the asked kind's template must reach. */
    public static final double MIN_IOU = 0.72;
    /** Extent (fraction of the side) from which a shape counts as big: between 1/4 and 1/2. */
    public static final double BIG_FROM = 0.36;

    private static final ToyColour[] COLOURS = ToyColour.values();
    private static final ShapeKind[] KINDS = ShapeKind.values();

    /**
     * A 4-connected region of one colour.
     *
     * @param members pixel indices {@code y * width + x}
     */
    public record Region(ToyColour colour, int pixels, int minX, int minY, int maxX, int maxY, int[] members) {

        public int width() {
            return maxX - minX + 1;
        }

        public int height() {
            return maxY - minY + 1;
        }

        public double centreX() {
            return (minX + maxX + 1) / 2.0;
        }

        public double centreY() {
            return (minY + maxY + 1) / 2.0;
        }

        boolean touchesBorder(int w, int h) {
            return minX == 0 || minY == 0 || maxX == w - 1 || maxY == h - 1;
        }
    }

    /** What the judge sees: the background and the regions of the other colours, largest first. */
    public record Analysis(int width, int height, ToyColour background, List<Region> regions) {
        public Analysis {
            regions = List.copyOf(regions);
        }

        public int area() {
            return width * height;
        }
    }

    /** Each pixel's nearest world colour (its {@link ToyColour} ordinal), row-major. */
    public static int[] labels(RgbImage img) {
        int plane = img.width() * img.height();
        float[] d = img.data();
        float[][] palette = new float[COLOURS.length][3];
        for (int k = 0; k < COLOURS.length; k++) {
            int rgb = COLOURS[k].rgb();
            palette[k] = new float[] {((rgb >> 16) & 0xFF) / 255f, ((rgb >> 8) & 0xFF) / 255f, (rgb & 0xFF) / 255f};
        }
        int[] labels = new int[plane];
        for (int p = 0; p < plane; p++) {
            float r = d[p];
            float g = d[plane + p];
            float b = d[2 * plane + p];
            int best = 0;
            float bestDistance = Float.MAX_VALUE;
            for (int k = 0; k < palette.length; k++) {
                float dr = r - palette[k][0];
                float dg = g - palette[k][1];
                float db = b - palette[k][2];
                float dist = dr * dr + dg * dg + db * db;
                if (dist < bestDistance) {
                    bestDistance = dist;
                    best = k;
                }
            }
            labels[p] = best;
        }
        return labels;
    }

    public Analysis analyse(RgbImage img) {
        int w = img.width();
        int h = img.height();
        int[] labels = labels(img);
        int[] borderCounts = new int[COLOURS.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
                    borderCounts[labels[y * w + x]]++;
                }
            }
        }
        int background = 0;
        for (int k = 1; k < COLOURS.length; k++) {
            if (borderCounts[k] > borderCounts[background]) {
                background = k;
            }
        }
        List<Region> regions = regions(labels, w, h, background);
        regions.sort(Comparator.comparingInt(Region::pixels).reversed());
        return new Analysis(w, h, COLOURS[background], regions);
    }

    /**
     * IoU of the region with each kind's template (in {@link ShapeKind} order), fitted to the
     * region's bounding box: the square of side max(w, h) centred on it.
     */
    public static double[] templateIoU(Region region, int w, int h) {
        int side = Math.max(region.width(), region.height());
        double cx = region.centreX();
        double cy = region.centreY();
        int x0 = (int) Math.floor(cx - side / 2.0);
        int y0 = (int) Math.floor(cy - side / 2.0);
        boolean[] inRegion = new boolean[w * h];
        for (int p : region.members()) {
            inRegion[p] = true;
        }
        double[] iou = new double[KINDS.length];
        for (int k = 0; k < KINDS.length; k++) {
            int both = 0;
            int template = 0;
            for (int y = y0; y <= y0 + side + 1; y++) {
                for (int x = x0; x <= x0 + side + 1; x++) {
                    double u = (x + 0.5 - cx) / side + 0.5;
                    double v = (y + 0.5 - cy) / side + 0.5;
                    if (!ToyWorld.covers(KINDS[k], u, v)) {
                        continue;
                    }
                    template++;
                    if (x >= 0 && y >= 0 && x < w && y < h && inRegion[y * w + x]) {
                        both++;
                    }
                }
            }
            iou[k] = both / (double) (template + region.pixels() - both);
        }
        return iou;
    }

    public Verdict judge(RgbImage img, Spec spec) {
        Analysis analysis = analyse(img);
        int w = analysis.width();
        int h = analysis.height();
        List<Verdict.Check> checks = new ArrayList<>();
        spec.background().ifPresent(bg -> checks.add(new Verdict.Check("background", analysis.background() == bg,
                analysis.background() == bg ? bg.word() : "looks " + analysis.background().word() + ", not " + bg.word())));
        Set<Region> used = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Region> chosen = new ArrayList<>();
        for (int s = 0; s < spec.shapes().size(); s++) {
            ShapeQuery q = spec.shapes().get(s);
            String name = "shape " + (s + 1);
            Optional<Region> found = analysis.regions().stream().filter(r -> !used.contains(r))
                    .filter(r -> q.colour().map(c -> c == r.colour()).orElse(true)).findFirst();
            if (found.isEmpty()) {
                checks.add(new Verdict.Check(name, false,
                        "no " + q.colour().map(c -> c.word() + " ").orElse("") + "shape (asked: " + q.describe() + ")"));
                chosen.add(null);
                continue;
            }
            Region r = found.get();
            used.add(r);
            chosen.add(r);
            checks.add(shapeCheck(name, r, analysis.area()));
            checks.add(r.touchesBorder(w, h)
                    ? new Verdict.Check(name + " edge", false, String.format(Locale.ROOT,
                            "cut by the edge (box x %d-%d, y %d-%d)", r.minX(), r.maxX(), r.minY(), r.maxY()))
                    : new Verdict.Check(name + " edge", true, "inside the picture"));
            checks.add(kindCheck(name, q, templateIoU(r, w, h)));
            ShapeSize size = Math.max(r.width() / (double) w, r.height() / (double) h) >= BIG_FROM
                    ? ShapeSize.BIG : ShapeSize.SMALL;
            q.size().ifPresent(asked -> checks.add(new Verdict.Check(name + " size", size == asked,
                    size == asked ? asked.word() : "is " + size.word() + ", not " + asked.word())));
            Position position = Position.of(r.centreX(), r.centreY(), w, h);
            q.position().ifPresent(asked -> checks.add(new Verdict.Check(name + " position", position == asked,
                    position == asked ? asked.word() : "is " + position.phrase() + ", not " + asked.phrase())));
        }
        checks.add(extraCheck(analysis, used));
        spec.relation().ifPresent(relation -> {
            Region a = chosen.get(0);
            Region b = chosen.get(1);
            if (a == null || b == null) {
                checks.add(new Verdict.Check("relation", false, "needs both shapes"));
            } else {
                Relation seen = Relation.of(a.centreX(), a.centreY(), b.centreX(), b.centreY());
                checks.add(new Verdict.Check("relation", seen == relation, seen == relation
                        ? "shape 1 " + relation.phrase() + " shape 2"
                        : "shape 1 is " + seen.phrase() + " shape 2, not " + relation.phrase()));
            }
        });
        return new Verdict(checks.stream().allMatch(Verdict.Check::passed), checks);
    }

    private static Verdict.Check shapeCheck(String name, Region r, int area) {
        double share = r.pixels() / (double) area;
        String what = String.format(Locale.ROOT, "%s region of %d px (%.1f%%)", r.colour().word(), r.pixels(),
                100 * share);
        return share < MIN_REGION_FRACTION
                ? new Verdict.Check(name, false, "the largest " + what + " is under 1% of the picture")
                : new Verdict.Check(name, true, what);
    }

    private static Verdict.Check kindCheck(String name, ShapeQuery q, double[] iou) {
        int best = 0;
        for (int k = 1; k < iou.length; k++) {
            if (iou[k] > iou[best]) {
                best = k;
            }
        }
        String fits = fits(iou);
        if (q.kind().isEmpty()) {
            boolean ok = iou[best] >= MIN_IOU;
            return new Verdict.Check(name + " kind", ok, (ok ? "a " + KINDS[best].word() : "no known shape") + " (" + fits + ")");
        }
        ShapeKind asked = q.kind().get();
        double own = iou[asked.ordinal()];
        if (own < iou[best]) {
            return new Verdict.Check(name + " kind", false,
                    "looks like a " + KINDS[best].word() + ", not a " + asked.word() + " (" + fits + ")");
        }
        if (own < MIN_IOU) {
            return new Verdict.Check(name + " kind", false, String.format(Locale.ROOT,
                    "not clearly a %s: IoU %.2f under %.2f (%s)", asked.word(), own, MIN_IOU, fits));
        }
        return new Verdict.Check(name + " kind", true, asked.word() + " (" + fits + ")");
    }

    /** {@code IoU circle 0.93, square 0.71, triangle 0.50, cross 0.55}. */
    private static String fits(double[] iou) {
        StringBuilder b = new StringBuilder("IoU");
        for (int k = 0; k < iou.length; k++) {
            b.append(k == 0 ? " " : ", ").append(KINDS[k].word()).append(String.format(Locale.ROOT, " %.2f", iou[k]));
        }
        return b.toString();
    }

    private static Verdict.Check extraCheck(Analysis analysis, Set<Region> used) {
        List<String> extra = new ArrayList<>();
        int counted = 0;
        for (Region r : analysis.regions()) {
            if (!used.contains(r) && r.pixels() >= MIN_REGION_FRACTION * analysis.area()) {
                counted++;
                if (extra.size() < 3) {
                    extra.add(String.format(Locale.ROOT, "%s region of %d px", r.colour().word(), r.pixels()));
                }
            }
        }
        if (counted == 0) {
            return new Verdict.Check("one region per shape", true, "no other region of 1% or more");
        }
        return new Verdict.Check("one region per shape", false, counted + " extra " + (counted == 1 ? "region" : "regions")
                + ": " + String.join(", ", extra) + (counted > extra.size() ? ", …" : ""));
    }

    private static List<Region> regions(int[] labels, int w, int h, int background) {
        boolean[] seen = new boolean[labels.length];
        int[] stack = new int[labels.length];
        List<Region> out = new ArrayList<>();
        for (int start = 0; start < labels.length; start++) {
            if (seen[start] || labels[start] == background) {
                continue;
            }
            int label = labels[start];
            int top = 0;
            int count = 0;
            int[] members = new int[16];
            stack[top++] = start;
            seen[start] = true;
            int minX = Integer.MAX_VALUE;
            int minY = Integer.MAX_VALUE;
            int maxX = -1;
            int maxY = -1;
            while (top > 0) {
                int p = stack[--top];
                if (count == members.length) {
                    members = java.util.Arrays.copyOf(members, 2 * count);
                }
                members[count++] = p;
                int x = p % w;
                int y = p / w;
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
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
            out.add(new Region(COLOURS[label], count, minX, minY, maxX, maxY,
                    java.util.Arrays.copyOf(members, count)));
        }
        return out;
    }

    private static int push(int[] labels, boolean[] seen, int[] stack, int top, int p, int label) {
        if (!seen[p] && labels[p] == label) {
            seen[p] = true;
            stack[top++] = p;
        }
        return top;
    }
}
