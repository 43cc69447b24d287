package dev.dreamoven.lab.toyworld;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/**
 * A tiny BPE vocabulary for the toy world, in the format of OpenAI's
 * {@code bpe_simple_vocab_16e6.txt.gz}, so that CLIP's own tokenizer reads it unchanged.
 *
 * <p>Standard BPE over words: each word is a sequence of one-character symbols whose last one
 * carries {@code </w>}; the most frequent adjacent pair (weighted by word frequency; ties broken by
 * the pair's text, for determinism) is merged, until every word is a single symbol. CLIP maps
 * bytes to characters with {@code bytes_to_unicode}, which is the identity for ASCII letters, so
 * merges of plain letters are valid as written. The tokenizer's vocabulary is then 256 byte
 * symbols + 256 byte symbols with {@code </w>} + one per merge + 2 specials
 * ({@link #clipVocabularySize}).
 */
public final class ToyVocabulary {

    public static final String HEADER = "#version: 0.2";
    private static final String END = "</w>";

    private ToyVocabulary() {
    }

    /** Every word the world's captions use or its parser accepts, sorted. */
    public static List<String> worldWords() {
        TreeSet<String> words = new TreeSet<>(ToyPrompt.ARTICLES);
        for (ToyColour c : ToyColour.values()) {
            words.add(c.word());
        }
        words.addAll(ToyPrompt.SIZES.keySet());
        words.addAll(ToyPrompt.KINDS.keySet());
        words.addAll(ToyPrompt.POSITIONS.keySet());
        words.addAll(ToyPrompt.FILLER_WORDS);
        return List.copyOf(words);
    }

    /**
     * Merges learned from the captions of 5,000 scenes (seed 0), plus one extra occurrence of every
     * {@link #worldWords} word so that synonyms only the parser knows also become single tokens.
     */
    public static List<String> worldMerges() {
        ToyWorld world = new ToyWorld();
        Random random = new Random(0);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            String caption = world.caption(world.scene(random), random);
            for (String word : caption.split(" ")) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        for (String word : worldWords()) {
            counts.merge(word, 1, Integer::sum);
        }
        return learnMerges(counts);
    }

    /** BPE merges ({@code "a b"}, most frequent first) that turn every counted word into one symbol. */
    public static List<String> learnMerges(Map<String, Integer> wordCounts) {
        List<List<String>> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        new TreeMap<>(wordCounts).forEach((word, count) -> {
            if (word.isEmpty() || count <= 0) {
                return;
            }
            if (!word.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
                throw new IllegalArgumentException("toy words are lower-case ASCII letters: '" + word + "'");
            }
            List<String> symbols = new ArrayList<>();
            for (int i = 0; i < word.length(); i++) {
                symbols.add(word.charAt(i) + (i == word.length() - 1 ? END : ""));
            }
            words.add(symbols);
            counts.add(count);
        });
        List<String> merges = new ArrayList<>();
        while (true) {
            Map<String, Integer> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> symbols = words.get(w);
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    pairs.merge(symbols.get(i) + " " + symbols.get(i + 1), counts.get(w), Integer::sum);
                }
            }
            if (pairs.isEmpty()) {
                return merges;
            }
            String best = null;
            int bestCount = -1;
            for (Map.Entry<String, Integer> e : pairs.entrySet()) {
                if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            merges.add(best);
            String left = best.substring(0, best.indexOf(' '));
            String right = best.substring(best.indexOf(' ') + 1);
            for (List<String> symbols : words) {
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    if (symbols.get(i).equals(left) && symbols.get(i + 1).equals(right)) {
                        symbols.set(i, left + right);
                        symbols.remove(i + 1);
                    }
                }
            }
        }
    }

    /**
     * Writes gzip text: {@value #HEADER}, then one merge per line. {@code out} receives the gzip
     * stream and is left open (the gzip trailer is written). The bytes are deterministic (Java
     * writes a zero gzip timestamp).
     */
    public static void write(OutputStream out, List<String> merges) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(out);
        Writer writer = new OutputStreamWriter(gz, StandardCharsets.UTF_8);
        writer.write(HEADER);
        writer.write('\n');
        for (String merge : merges) {
            if (merge.split(" ").length != 2) {
                throw new IllegalArgumentException("a merge is two symbols separated by one space: '" + merge + "'");
            }
            writer.write(merge);
            writer.write('\n');
        }
        writer.flush();
        gz.finish();
        out.flush();
    }

    /** Token ids CLIP's tokenizer will have with these merges: 512 byte symbols + merges + 2 specials. */
    public static int clipVocabularySize(List<String> merges) {
        return 512 + merges.size() + 2;
    }
}
