package dev.dreamoven.lab.toyworld;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a prompt in the toy world's language into the {@link Spec} it asks for. The grammar is the
 * captions' (see {@link ToyWorld#caption}) with a few synonyms:
 * <pre>
 * prompt   := shape [ (relation | "and") shape ] [background]     (background may come anywhere
 *                                                                  between phrases)
 * shape    := [a|an|the] {size | colour} (kind | "shape") [position]
 * size     := small | little | tiny | big | large
 * kind     := circle | square | triangle | cross | plus
 * position := [on|at|in] [the] (left | right | top | bottom | centre | center | middle)
 * relation := [to] [the] (left|right) of | [on the] (left|right) of | above | below | under
 * background := [on|with] [a|an] colour background
 * </pre>
 * Case and punctuation are ignored. Anything else, e.g. an unknown word, gives an empty result:
 * the prompt is outside the world (not an error: the world simply cannot judge it).
 */
public final class ToyPrompt {

    static final Set<String> ARTICLES = Set.of("a", "an", "the");
    static final Map<String, ShapeSize> SIZES = Map.of(
            "small", ShapeSize.SMALL, "little", ShapeSize.SMALL, "tiny", ShapeSize.SMALL,
            "big", ShapeSize.BIG, "large", ShapeSize.BIG);
    static final Map<String, ShapeKind> KINDS = Map.of(
            "circle", ShapeKind.CIRCLE, "square", ShapeKind.SQUARE, "triangle", ShapeKind.TRIANGLE,
            "cross", ShapeKind.CROSS, "plus", ShapeKind.CROSS);
    static final Map<String, Position> POSITIONS = Map.of(
            "left", Position.LEFT, "right", Position.RIGHT, "top", Position.TOP, "bottom", Position.BOTTOM,
            "centre", Position.CENTRE, "center", Position.CENTRE, "middle", Position.CENTRE);
    /** Every word the parser knows; the toy vocabulary makes each of them one token. */
    static final List<String> FILLER_WORDS = List.of("shape", "on", "at", "in", "with", "to", "of", "and",
            "above", "below", "under", "background");

    private ToyPrompt() {
    }

    /** The spec {@code prompt} asks for, or empty when the prompt is outside the toy world. */
    public static Optional<Spec> parse(String prompt) {
        if (prompt == null) {
            return Optional.empty();
        }
        String[] words = prompt.toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", " ").strip().split(" ");
        if (words.length == 0 || words[0].isEmpty()) {
            return Optional.empty();
        }
        return new Parser(words).parse();
    }

    private static final class Parser {
        private final String[] w;
        private int i;
        private final List<ShapeQuery> shapes = new ArrayList<>();
        private ToyColour pendingColour;
        private ShapeSize pendingSize;
        private Position lastPosition;
        private boolean lastOpen;
        private ToyColour background;
        private Relation relation;
        private boolean joined;

        Parser(String[] words) {
            this.w = words;
        }

        private String at(int k) {
            return k < w.length ? w[k] : "";
        }

        Optional<Spec> parse() {
            while (i < w.length) {
                if (!step()) {
                    return Optional.empty();
                }
            }
            if (pendingColour != null || pendingSize != null || shapes.isEmpty()) {
                return Optional.empty();
            }
            closeLast();
            if (relation != null && shapes.size() != 2) {
                return Optional.empty();
            }
            if (joined && shapes.size() != 2) {
                return Optional.empty();
            }
            return Optional.of(new Spec(Optional.ofNullable(background), shapes, Optional.ofNullable(relation)));
        }

        private boolean step() {
            String word = w[i];
            if (ARTICLES.contains(word)) {
                i++;
                return true;
            }
            Optional<ToyColour> colour = ToyColour.fromWord(word);
            if (colour.isPresent()) {
                if (at(i + 1).equals("background")) {
                    if (background != null || pendingColour != null || pendingSize != null) {
                        return false;
                    }
                    background = colour.get();
                    i += 2;
                    return true;
                }
                if (pendingColour != null) {
                    return false;
                }
                pendingColour = colour.get();
                i++;
                return true;
            }
            if (SIZES.containsKey(word)) {
                if (pendingSize != null) {
                    return false;
                }
                pendingSize = SIZES.get(word);
                i++;
                return true;
            }
            if (KINDS.containsKey(word) || word.equals("shape")) {
                if (shapes.size() >= 2 || (shapes.size() == 1 && relation == null && !joined)) {
                    return false;
                }
                closeLast();
                shapes.add(new ShapeQuery(Optional.ofNullable(pendingColour), Optional.ofNullable(KINDS.get(word)),
                        Optional.ofNullable(pendingSize), Optional.empty()));
                lastOpen = true;
                lastPosition = null;
                pendingColour = null;
                pendingSize = null;
                i++;
                return true;
            }
            if (word.equals("on") || word.equals("with")) {
                int k = i + 1;
                while (ARTICLES.contains(at(k))) {
                    k++;
                }
                if (ToyColour.fromWord(at(k)).isPresent() && at(k + 1).equals("background")) {
                    i = k;
                    return true;
                }
                if (word.equals("with")) {
                    return false;
                }
                return positionOrRelation(k);
            }
            if (word.equals("at") || word.equals("in")) {
                int k = i + 1;
                while (ARTICLES.contains(at(k))) {
                    k++;
                }
                return positionOrRelation(k);
            }
            if (word.equals("to")) {
                int k = i + 1;
                while (ARTICLES.contains(at(k))) {
                    k++;
                }
                if ((at(k).equals("left") || at(k).equals("right")) && at(k + 1).equals("of")) {
                    return relate(at(k).equals("left") ? Relation.LEFT_OF : Relation.RIGHT_OF, k + 2);
                }
                return false;
            }
            if (POSITIONS.containsKey(word)) {
                return positionOrRelation(i);
            }
            return switch (word) {
                case "above" -> relate(Relation.ABOVE, i + 1);
                case "below", "under" -> relate(Relation.BELOW, i + 1);
                case "and" -> {
                    if (shapes.size() != 1 || pendingColour != null || pendingSize != null || relation != null
                            || joined) {
                        yield false;
                    }
                    joined = true;
                    i++;
                    yield true;
                }
                default -> false;
            };
        }

        /** At {@code k}: a position word for the last shape, or "left of"/"right of". */
        private boolean positionOrRelation(int k) {
            String word = at(k);
            if ((word.equals("left") || word.equals("right")) && at(k + 1).equals("of")) {
                return relate(word.equals("left") ? Relation.LEFT_OF : Relation.RIGHT_OF, k + 2);
            }
            Position position = POSITIONS.get(word);
            if (position == null || !lastOpen || lastPosition != null || pendingColour != null
                    || pendingSize != null) {
                return false;
            }
            lastPosition = position;
            i = k + 1;
            return true;
        }

        private boolean relate(Relation r, int next) {
            if (shapes.size() != 1 || relation != null || joined || pendingColour != null || pendingSize != null) {
                return false;
            }
            relation = r;
            i = next;
            return true;
        }

        private void closeLast() {
            if (lastOpen && lastPosition != null) {
                ShapeQuery q = shapes.remove(shapes.size() - 1);
                shapes.add(new ShapeQuery(q.colour(), q.kind(), q.size(), Optional.of(lastPosition)));
            }
            lastOpen = false;
            lastPosition = null;
        }
    }
}
