package dev.dreamoven.clip;

import dev.dreamoven.common.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code --model} and {@code model.name} say: one model ({@code shapes}, a catalog name such
 * as {@code ViT-B/32}, or a checkpoint file) or a comma list of them guiding together, each with
 * an optional weight after its last colon ({@code ViT-B/32,RN50:0.5}; the default weight is 1).
 *
 * @param parts in the order given
 */
public record ModelSpec(List<Part> parts) {

    /** One model of the list: a name or a file, and its weight as given. */
    public record Part(String source, double weight) {
    }

    public ModelSpec {
        parts = List.copyOf(parts);
    }

    /**
     * @throws InvalidInputException with one line for an empty part, a weight that is not a positive
     *     number, or a model named twice
     */
    public static ModelSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidInputException("no model given: use shapes, a name such as ViT-B/32, or a checkpoint file");
        }
        List<Part> parts = new ArrayList<>();
        for (String raw : spec.split(",", -1)) {
            String item = raw.strip();
            if (item.isEmpty()) {
                throw new InvalidInputException("model list '" + spec + "' has an empty entry");
            }
            String source = item;
            double weight = 1;
            int colon = item.lastIndexOf(':');
            // A colon followed by a number is a weight; anything else (C:\models\x.pt) is part of the name.
            if (colon > 0 && item.substring(colon + 1).strip().matches("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?")) {
                source = item.substring(0, colon).strip();
                weight = Double.parseDouble(item.substring(colon + 1).strip());
                if (!(weight > 0) || Double.isInfinite(weight)) {
                    throw new InvalidInputException("the weight of " + source + " must be a positive number, got "
                            + item.substring(colon + 1).strip());
                }
            }
            for (Part p : parts) {
                if (p.source().equalsIgnoreCase(source)) {
                    throw new InvalidInputException("model " + source + " is named twice in '" + spec + "'");
                }
            }
            parts.add(new Part(source, weight));
        }
        return new ModelSpec(parts);
    }

    /** One model, no ensemble. */
    public boolean single() {
        return parts.size() == 1;
    }
}
