package dev.dreamoven.lab.toyworld;

/** How the first of two shapes sits relative to the second. */
public enum Relation {
    LEFT_OF("left of"), RIGHT_OF("right of"), ABOVE("above"), BELOW("below");

    private final String phrase;

    Relation(String phrase) {
        this.phrase = phrase;
    }

    public String phrase() {
        return phrase;
    }

    /** The relation seen from the second shape: left of ↔ right of, above ↔ below. */
    public Relation inverse() {
        return switch (this) {
            case LEFT_OF -> RIGHT_OF;
            case RIGHT_OF -> LEFT_OF;
            case ABOVE -> BELOW;
            case BELOW -> ABOVE;
        };
    }

    public boolean horizontal() {
        return this == LEFT_OF || this == RIGHT_OF;
    }

    /**
     * The relation between two centres, from the axis along which they differ more; ties count as
     * horizontal. Image y grows downwards.
     */
    public static Relation of(double ax, double ay, double bx, double by) {
        double dx = ax - bx;
        double dy = ay - by;
        if (Math.abs(dx) >= Math.abs(dy)) {
            return dx < 0 ? LEFT_OF : RIGHT_OF;
        }
        return dy < 0 ? ABOVE : BELOW;
    }
}
