package dev.dreamoven.clip;

import dev.dreamoven.common.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * CLIP's byte-level BPE tokenizer, a port of OpenAI's {@code simple_tokenizer.py} and
 * {@code clip.tokenize}. The vocabulary is 256 byte tokens, the same with {@code </w>}, one token
 * per merge, then {@code <|startoftext|>} and {@code <|endoftext|>}; so a merges file of any size
 * (OpenAI's {@code bpe_simple_vocab_16e6.txt.gz} or a small one in the same format) works.
 * Thread-safe.
 */
public final class ClipTokenizer {

    /** OpenAI's tokenizer reads at most this many merges ({@code merges[1:49152-256-2+1]}). */
    public static final int MAX_MERGES = 49152 - 256 - 2;
    public static final int DEFAULT_CONTEXT = 77;
    private static final String SOT = "<|startoftext|>";
    private static final String EOT = "<|endoftext|>";
    private static final Pattern WORDS = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final int CACHE_LIMIT = 100_000;

    private final char[] byteEncoder = bytesToUnicode();
    private final Map<String, Integer> encoder;
    private final Map<String, Integer> bpeRanks;
    private final List<String> decoder;
    private final int contextLength;
    private final HtmlEntities entities;
    private final Map<String, String[]> cache = new ConcurrentHashMap<>();

    private ClipTokenizer(Map<String, Integer> encoder, Map<String, Integer> bpeRanks, List<String> decoder,
            int contextLength, HtmlEntities entities) {
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length must be at least 2, got " + contextLength);
        }
        this.encoder = encoder;
        this.bpeRanks = bpeRanks;
        this.decoder = decoder;
        this.contextLength = contextLength;
        this.entities = entities;
    }

    /** Reads a merges file, gzip-compressed ({@code .txt.gz}) or plain. */
    public static ClipTokenizer load(Path mergesFile) {
        if (!Files.isRegularFile(mergesFile)) {
            throw new InvalidInputException("vocabulary file " + mergesFile + " does not exist");
        }
        try (InputStream in = Files.newInputStream(mergesFile)) {
            return load(in);
        } catch (IOException e) {
            throw new InvalidInputException("vocabulary file " + mergesFile + " cannot be read: " + e.getMessage(), e);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("vocabulary file " + mergesFile + ": " + e.getMessage(), e);
        }
    }

    /** Reads a merges file from a stream, gzip-compressed or plain; context {@value #DEFAULT_CONTEXT}. */
    public static ClipTokenizer load(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream text = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered) : buffered;
        String content = new String(text.readAllBytes(), StandardCharsets.UTF_8);
        return fromMerges(Arrays.asList(content.split("\n")));
    }

    /**
     * @param lines the merges file's lines: a header line containing {@code #version} (e.g. {@code #version: 0.2}), then
     *     {@code "a b"} merges; blank lines are skipped
     */
    public static ClipTokenizer fromMerges(List<String> lines) {
        // OpenAI's file starts with '"bpe_simple_vocab_16e6.txt#version: 0.2'.
        if (lines.isEmpty() || !lines.get(0).contains("#version")) {
            throw new InvalidInputException("not a CLIP BPE vocabulary: its first line has no '#version'");
        }
        List<Character> bytes = vocabularyOrder();
        List<String> vocab = new ArrayList<>();
        for (char c : bytes) {
            vocab.add(String.valueOf(c));
        }
        for (char c : bytes) {
            vocab.add(c + "</w>");
        }
        Map<String, Integer> ranks = new HashMap<>();
        int merges = 0;
        for (int i = 1; i < lines.size() && merges < MAX_MERGES; i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new InvalidInputException("not a CLIP BPE vocabulary: line " + (i + 1) + " is not a merge 'a b'");
            }
            ranks.put(parts[0] + " " + parts[1], merges++);
            vocab.add(parts[0] + parts[1]);
        }
        vocab.add(SOT);
        vocab.add(EOT);
        Map<String, Integer> encoder = new HashMap<>();
        for (int i = 0; i < vocab.size(); i++) {
            encoder.put(vocab.get(i), i); // later duplicates win, as in the reference's dict(zip(...))
        }
        return new ClipTokenizer(Map.copyOf(encoder), Map.copyOf(ranks), List.copyOf(vocab), DEFAULT_CONTEXT,
                HtmlEntities.load());
    }

    /** The same vocabulary with another context length (take it from the model's config). */
    public ClipTokenizer withContextLength(int contextLength) {
        return contextLength == this.contextLength ? this
                : new ClipTokenizer(encoder, bpeRanks, decoder, contextLength, entities);
    }

    public int contextLength() {
        return contextLength;
    }

    public int vocabSize() {
        return decoder.size();
    }

    public int startOfText() {
        return vocabSize() - 2;
    }

    public int endOfText() {
        return vocabSize() - 1;
    }

    /**
     * {@code [sot, tokens..., eot, 0...]}, exactly {@link #contextLength()} long.
     *
     * @throws PromptTooLongException when it does not fit
     */
    public int[] encode(String text) {
        return encode(text, false);
    }

    /**
     * @param truncate cut a too-long prompt to the context, keeping the end-of-text token last
     *     (the reference's {@code truncate=True}); otherwise throw {@link PromptTooLongException}
     */
    public int[] encode(String text, boolean truncate) {
        List<Integer> ids = bpeIds(text);
        int needed = ids.size() + 2;
        if (needed > contextLength && !truncate) {
            throw new PromptTooLongException(needed, contextLength);
        }
        int[] out = new int[contextLength];
        out[0] = startOfText();
        int n = Math.min(ids.size(), contextLength - 2);
        for (int i = 0; i < n; i++) {
            out[i + 1] = ids.get(i);
        }
        out[n + 1] = endOfText();
        return out;
    }

    /** {@link #encode(String, boolean)} for each text: {@code [texts, context]}. */
    public int[][] encodeAll(List<String> texts, boolean truncate) {
        int[][] out = new int[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = encode(texts.get(i), truncate);
        }
        return out;
    }

    /** Tokens a prompt needs, start and end of text included (compare with {@link #contextLength()}). */
    public int countTokens(String text) {
        return bpeIds(text).size() + 2;
    }

    /** The BPE ids of the cleaned text, without start/end tokens or padding. */
    public List<Integer> bpeIds(String text) {
        List<Integer> ids = new ArrayList<>();
        Matcher m = WORDS.matcher(clean(text));
        while (m.find()) {
            String word = m.group();
            if (word.equals(SOT) || word.equals(EOT)) {
                ids.add(encoder.get(word));
                continue;
            }
            byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
            StringBuilder mapped = new StringBuilder(utf8.length);
            for (byte b : utf8) {
                mapped.append(byteEncoder[b & 0xff]);
            }
            for (String piece : bpe(mapped.toString())) {
                ids.add(encoder.get(piece));
            }
        }
        return ids;
    }

    /** The text of token ids (special tokens and padding dropped), for messages and tests. */
    public String decode(int[] ids) {
        StringBuilder units = new StringBuilder();
        for (int id : ids) {
            if (id <= 0 || id >= startOfText()) {
                continue;
            }
            units.append(decoder.get(id));
        }
        String s = units.toString().replace("</w>", " ");
        byte[] bytes = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int b = c == ' ' ? ' ' : byteOf(c);
            bytes[n++] = (byte) b;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8).strip();
    }

    private int byteOf(char c) {
        for (int b = 0; b < 256; b++) {
            if (byteEncoder[b] == c) {
                return b;
            }
        }
        return '?';
    }

    /** ftfy's NFC, HTML unescaped twice, whitespace collapsed and stripped, lower-cased. */
    String clean(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFC);
        s = entities.unescape(entities.unescape(s)).strip();
        s = WHITESPACE.matcher(s).replaceAll(" ").strip();
        return s.toLowerCase(Locale.ROOT);
    }

    private String[] bpe(String token) {
        String[] cached = cache.get(token);
        if (cached != null) {
            return cached;
        }
        List<String> word = new ArrayList<>(token.length());
        for (int i = 0; i < token.length() - 1; i++) {
            word.add(String.valueOf(token.charAt(i)));
        }
        word.add(token.charAt(token.length() - 1) + "</w>");
        while (word.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i < word.size() - 1; i++) {
                Integer rank = bpeRanks.get(word.get(i) + " " + word.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    first = word.get(i);
                    second = word.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            List<String> merged = new ArrayList<>(word.size());
            int i = 0;
            while (i < word.size()) {
                if (i < word.size() - 1 && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i += 2;
                } else {
                    merged.add(word.get(i));
                    i += 1;
                }
            }
            word = merged;
        }
        String[] result = word.toArray(new String[0]);
        if (cache.size() > CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(token, result);
        return result;
    }

    /** The byte characters in the reference's vocabulary order: printable bytes, then the rest. */
    private static List<Character> vocabularyOrder() {
        char[] map = bytesToUnicode();
        List<Character> printable = new ArrayList<>();
        List<Character> rest = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            (map[b] == b ? printable : rest).add(map[b]);
        }
        printable.addAll(rest);
        return printable;
    }

    /** GPT-2's reversible byte → printable character map. */
    private static char[] bytesToUnicode() {
        char[] map = new char[256];
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (printable[b]) {
                map[b] = (char) b;
            }
        }
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) {
                map[b] = (char) (256 + n++);
            }
        }
        return map;
    }
}
