package dev.dreamoven.image;

import dev.dreamoven.common.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The colours a finished picture may use. {@code none} keeps the seed's 17 levels per channel
 * ({@code round(v * 16) / 16}); every other palette maps each pixel to its nearest entry.
 *
 * @param name    the name it was parsed from ({@code none}, {@code pico8}, ..., or {@code custom})
 * @param colours 0xRRGGBB entries; empty for {@code none}
 */
public record Palette(String name, List<Integer> colours) {

    public static final String CHOICES = "none, pico8, gameboy, nes, or hex colours like #DC2828,#28B43C";

    public static final Palette NONE = new Palette("none", List.of());

    /** PICO-8's fixed 16 colours. */
    public static final Palette PICO8 = new Palette("pico8", List.of(
            0x000000, 0x1D2B53, 0x7E2553, 0x008751, 0xAB5236, 0x5F574F, 0xC2C3C7, 0xFFF1E8,
            0xFF004D, 0xFFA300, 0xFFEC27, 0x00E436, 0x29ADFF, 0x83769C, 0xFF77A8, 0xFFCCAA));

    /** The original Game Boy's four greens, darkest first. */
    public static final Palette GAMEBOY = new Palette("gameboy", List.of(0x0F380F, 0x306230, 0x8BAC0F, 0x9BBC0F));

    /** The commonly used NES (2C02) palette with its duplicate blacks removed: 55 colours. */
    public static final Palette NES = new Palette("nes", List.of(
            0x7C7C7C, 0x0000FC, 0x0000BC, 0x4428BC, 0x940084, 0xA80020, 0xA81000, 0x881400,
            0x503000, 0x007800, 0x006800, 0x005800, 0x004058, 0x000000,
            0xBCBCBC, 0x0078F8, 0x0058F8, 0x6844FC, 0xD800CC, 0xE40058, 0xF83800, 0xE45C10,
            0xAC7C00, 0x00B800, 0x00A800, 0x00A844, 0x008888,
            0xF8F8F8, 0x3CBCFC, 0x6888FC, 0x9878F8, 0xF878F8, 0xF85898, 0xF87858, 0xFCA044,
            0xF8B800, 0xB8F818, 0x58D854, 0x58F898, 0x00E8D8, 0x787878,
            0xFCFCFC, 0xA4E4FC, 0xB8B8F8, 0xD8B8F8, 0xF8B8F8, 0xF8A4C0, 0xF0D0B0, 0xFCE0A8,
            0xF8D878, 0xD8F878, 0xB8F8B8, 0xB8F8D8, 0x00FCFC, 0xF8D8F8));

    public Palette {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a palette needs a name");
        }
        colours = List.copyOf(colours);
        for (int c : colours) {
            if ((c & ~0xFFFFFF) != 0) {
                throw new IllegalArgumentException("not a 0xRRGGBB colour: " + Integer.toHexString(c));
            }
        }
    }

    /** True for {@code none}: quantize to 17 levels per channel instead of to a list of colours. */
    public boolean isLevels() {
        return colours.isEmpty();
    }

    /**
     * A palette by name ({@code none}, {@code pico8}, {@code gameboy}, {@code nes}, case-insensitive)
     * or a list of 6-digit hex colours separated by commas and/or spaces, each with or without
     * {@code #}.
     *
     * @throws InvalidInputException for anything else, with a line listing the choices
     */
    public static Palette parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidInputException("Empty palette; choose " + CHOICES + ".");
        }
        String s = spec.strip().toLowerCase(Locale.ROOT);
        switch (s) {
            case "none":
                return NONE;
            case "pico8":
            case "pico-8":
                return PICO8;
            case "gameboy":
            case "game-boy":
            case "gb":
                return GAMEBOY;
            case "nes":
                return NES;
            default:
                return parseHexList(spec.strip());
        }
    }

    private static Palette parseHexList(String spec) {
        String[] parts = spec.split("[,\\s]+");
        List<Integer> colours = new ArrayList<>();
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            String hex = part.startsWith("#") ? part.substring(1) : part;
            if (!hex.matches("[0-9A-Fa-f]{6}")) {
                throw new InvalidInputException("Unknown palette '" + abbreviate(spec) + "' ('" + abbreviate(part)
                        + "' is not a colour); choose " + CHOICES + ".");
            }
            int colour = Integer.parseInt(hex, 16);
            if (!colours.contains(colour)) {
                colours.add(colour);
            }
        }
        if (colours.isEmpty()) {
            throw new InvalidInputException("Empty palette; choose " + CHOICES + ".");
        }
        if (colours.size() > 256) {
            throw new InvalidInputException("A palette may have at most 256 colours, got " + colours.size() + ".");
        }
        return new Palette("custom", colours);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** A spec string that {@link #parse} turns back into this palette. */
    public String spec() {
        if (!name.equals("custom")) {
            return name;
        }
        StringBuilder b = new StringBuilder();
        for (int c : colours) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(String.format(Locale.ROOT, "#%06X", c));
        }
        return b.toString();
    }
}
