package dev.dreamoven.bake;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a baked prompt says something the new prompt says otherwise, read from the words alone.
 *
 * <p>Why words and not the text embedding: a CLIP's text embedding cannot be trusted to separate
 * prompts that differ in one attribute. The shipped model puts "left of" and "right of" at spherical
 * distance 0.000, "circle" and "cross" at 0.042, and "a red circle left of a blue square" at 0.013
 * from its colour swap (docs/experiments.md, "The planner"), all well inside the blending bound; a
 * real CLIP is known to mix up attribute binding the same way. So nothing here knows a vocabulary:
 * the new prompt may add words to the baked one (a refinement: "a big red circle" from "a red
 * circle") or leave some out ("a blue circle" from "a blue circle on the left"), but where a stretch
 * of the baked prompt is replaced by other words, or the same words come in another order, the two
 * prompts disagree about something and the baked path would steer toward the wrong thing.
 */
final class PromptWords {

    private PromptWords() {
    }

    /**
     * True when {@code baked} cannot be turned into {@code wanted} by only inserting words and
     * deleting words in separate places: some words of one stand where the other has different
     * words (a swapped colour, shape, relation or order).
     */
    static boolean contradicts(String baked, String wanted) {
        List<String> a = words(baked);
        List<String> b = words(wanted);
        // Longest common subsequence; a gap that is not empty on both sides between two common words
        // is a replacement.
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        boolean dropped = false;
        boolean added = false;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                if (dropped && added) {
                    return true;
                }
                dropped = false;
                added = false;
                i++;
                j++;
            } else if (j >= b.size() || (i < a.size() && lcs[i + 1][j] >= lcs[i][j + 1])) {
                dropped = true;
                i++;
            } else {
                added = true;
                j++;
            }
        }
        return dropped && added;
    }

    /** Lower-case runs of letters and digits, in any script. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
