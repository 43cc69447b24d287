package dev.dreamoven.lab.toyworld;

import java.util.List;

/**
 * The judge's answer: passed when every asked attribute holds. {@code checks} has one entry per
 * asked attribute, in prompt order.
 */
public record Verdict(boolean passed, List<Check> checks) {

    /** One asked attribute, e.g. {@code shape 1 kind}, whether it holds, and why in words. */
    public record Check(String attribute, boolean passed, String reason) {
    }

    public Verdict {
        checks = List.copyOf(checks);
    }

    /** Fraction of asked attributes that hold (1 when nothing was asked). */
    public double score() {
        if (checks.isEmpty()) {
            return 1;
        }
        return checks.stream().filter(Check::passed).count() / (double) checks.size();
    }

    /**
     * Whether the colours are right whatever the shapes: the asked background (when asked) and a
     * region of each asked shape's colour of at least 1 % of the picture (the checks named
     * {@code background} and {@code shape N}).
     */
    public boolean coloursRight() {
        return checks.stream().filter(c -> c.attribute().equals("background") || c.attribute().matches("shape \\d+"))
                .allMatch(Check::passed);
    }

    /** One line per check: {@code ✓ shape 1 kind: circle (fill 0.79)}. */
    public List<String> reasons() {
        return checks.stream().map(c -> (c.passed() ? "✓ " : "✗ ") + c.attribute() + ": " + c.reason()).toList();
    }
}
