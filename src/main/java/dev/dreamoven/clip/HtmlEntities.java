package dev.dreamoven.clip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTML character references unescaped exactly as Python's {@code html.unescape} does (the CLIP
 * reference tokenizer cleans text with it): the HTML5 named references, numeric references with
 * the Windows-1252 replacements for 0x80-0x9F, and the longest-prefix rule for legacy names
 * written without a semicolon.
 */
final class HtmlEntities {

    private static final Pattern CHARREF = Pattern.compile(
            "&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    private static final int[] WINDOWS_1252 = {0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021,
        0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
        0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178};

    private final Map<String, String> named;

    private HtmlEntities(Map<String, String> named) {
        this.named = named;
    }

    static HtmlEntities load() {
        Map<String, String> named = new HashMap<>();
        try (InputStream in = HtmlEntities.class.getResourceAsStream("/clip/html5-entities.txt")) {
            if (in == null) {
                throw new IllegalStateException("resource /clip/html5-entities.txt is missing from the build");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                StringBuilder value = new StringBuilder();
                for (String cp : line.substring(tab + 1).split(" ")) {
                    value.appendCodePoint(Integer.parseInt(cp, 16));
                }
                named.put(line.substring(0, tab), value.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HtmlEntities(named);
    }

    String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = CHARREF.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replace(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String replace(String ref) {
        if (ref.charAt(0) == '#') {
            String digits = ref.endsWith(";") ? ref.substring(0, ref.length() - 1) : ref;
            boolean hex = digits.length() > 1 && (digits.charAt(1) == 'x' || digits.charAt(1) == 'X');
            java.math.BigInteger big = new java.math.BigInteger(digits.substring(hex ? 2 : 1), hex ? 16 : 10);
            if (big.bitLength() > 31) {
                return "\uFFFD";
            }
            int num = big.intValue();
            if (num == 0) {
                return "\uFFFD";
            }
            if (num == 13) {
                return "\r";
            }
            if (num >= 0x80 && num <= 0x9f) {
                return new String(Character.toChars(WINDOWS_1252[num - 0x80]));
            }
            if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
                return "\uFFFD";
            }
            if (invalidCodePoint(num)) {
                return "";
            }
            return new String(Character.toChars(num));
        }
        String exact = named.get(ref);
        if (exact != null) {
            return exact;
        }
        for (int x = ref.length() - 1; x > 1; x--) {
            String prefix = named.get(ref.substring(0, x));
            if (prefix != null) {
                return prefix + ref.substring(x);
            }
        }
        return "&" + ref;
    }

    private static boolean invalidCodePoint(int c) {
        return (c >= 0x1 && c <= 0x8) || c == 0xb || (c >= 0xe && c <= 0x1f) || (c >= 0x7f && c <= 0x9f)
                || (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;
    }
}
