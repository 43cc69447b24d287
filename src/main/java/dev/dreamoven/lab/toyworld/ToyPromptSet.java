package dev.dreamoven.lab.toyworld;

import java.util.ArrayList;
import java.util.List;

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

    private ToyPromptSet() {
    }

    /** Single-shape prompts first, then the two-shape ones. */
    public static List<String> all() {
        List<String> all = new ArrayList<>(SINGLE_SHAPE);
        all.addAll(TWO_SHAPES);
        return List.copyOf(all);
    }
}
