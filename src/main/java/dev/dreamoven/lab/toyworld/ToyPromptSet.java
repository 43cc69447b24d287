package dev.dreamoven.lab.toyworld;

import java.util.ArrayList;
import dev.dreamoven.common.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The fixed evaluation prompts of the toy world. Chosen to cover every colour, shape, size,
 * position and relation at least once, with and without a background; every prompt is one the
 * world can show ({@link ToyWorld#sceneFor} finds a scene for it) and the judge can check. Changing
 * this list changes every measured figure: add new prompts at the end and say so in reports.
 */
public final class ToyPromptSet {

    /** Single-shape prompts (12). */
    public static final List<String> SINGLE_SHAPE = List.of(
            "a red circle",
            "a green square at the bottom",
            "a blue triangle",
            "a yellow cross",
            "a big purple circle in the centre",
            "a small orange square",
            "a white triangle on a black background",
            "a black circle on a white background",
            "a big green cross on a yellow background",
            "a small red square at the top",
            "a blue circle on the left",
            "a small yellow triangle on the right on a purple background");

    /** Two-shape relation prompts (8). */
    public static final List<String> TWO_SHAPES = List.of(
            "a red circle left of a blue square",
            "a green triangle right of a yellow circle",
            "a white square above a red cross",
            "a purple circle below an orange triangle",
            "a big blue square left of a small white circle",
            "a yellow cross above a green square on a black background",
            "a small black triangle right of a big orange circle on a white background",
            "an orange square below a purple cross on a blue background");

    /** Seed of {@link #unseen}. */
    static final long UNSEEN_SEED = 0x0_5EE_DL;

    /** 12 single-shape prompts of the world's grammar that are not in this set (see {@link #unseen}). */
    public static final List<String> UNSEEN_SINGLE_SHAPE = unseen(12, 1);

    /** 8 two-shape prompts of the world's grammar that are not in this set (see {@link #unseen}). */
    public static final List<String> UNSEEN_TWO_SHAPES = unseen(8, 2);

    private ToyPromptSet() {
    }

    /**
     * Prompts from a file, one a line ({@code #} starts a comment line): each one a prompt the
     * toy world can show, none twice.
     *
     * @throws InvalidInputException with one line otherwise
     */
    public static List<String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new InvalidInputException("cannot read prompts " + file + ": " + e.getMessage());
        }
        if (lines.isEmpty()) {
            throw new InvalidInputException("no prompts in " + file);
        }
        Set<String> distinct = new HashSet<>();
        for (String line : lines) {
            Spec spec = ToyPrompt.parse(line).orElseThrow(() -> new InvalidInputException(
                    "'" + line + "' is not a prompt of the toy world"));
            if (new ToyWorld().sceneFor(spec, new Random(0)).isEmpty()) {
                throw new InvalidInputException("the toy world cannot show '" + line + "'");
            }
            if (!distinct.add(line)) {
                throw new InvalidInputException("'" + line + "' is listed twice");
            }
        }
        return lines;
    }

    /**
     * {@code count} distinct prompts of {@code shapes} shapes sampled from the world's own grammar
     * (random scenes, each with a random template caption, {@link ToyWorld#caption}) that are not
     * in this set: prompts nothing was tuned or baked for. The same on every call.
     */
    public static List<String> unseen(int count, int shapes) {
        ToyWorld world = new ToyWorld();
        Random random = new Random(UNSEEN_SEED + shapes);
        Set<String> known = new HashSet<>(all());
        Set<String> out = new LinkedHashSet<>();
        while (out.size() < count) {
            Scene scene = world.scene(random);
            if (scene.shapes().size() == shapes) {
                String caption = world.caption(scene, random);
                if (!known.contains(caption)) {
                    out.add(caption);
                }
            }
        }
        return List.copyOf(out);
    }

    /** Single-shape prompts first, then the two-shape ones. */
    public static List<String> all() {
        List<String> all = new ArrayList<>(SINGLE_SHAPE);
        all.addAll(TWO_SHAPES);
        return List.copyOf(all);
    }
}
