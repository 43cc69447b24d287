package dev.dreamoven.lab.toyworld;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class ToyVocabularyTest {

    @Test
    void learnsTheTextbookExample() {
        // "low" x5 = l o w</w>, "lower" x2 = l o w e r</w>: "l o" (7) first, then "lo w</w>" (5),
        // then the rest of "lower" (2 each, ties by text)
        List<String> merges = ToyVocabulary.learnMerges(Map.of("low", 5, "lower", 2));
        assertThat(merges).containsExactly("l o", "lo w</w>", "e r</w>", "lo w", "low er</w>");
        assertThat(applyLikeClip("lower", merges)).containsExactly("lower</w>");
    }

    @Test
    void everyWorldWordBecomesOneToken() {
        List<String> merges = ToyVocabulary.worldMerges();
        for (String word : ToyVocabulary.worldWords()) {
            assertThat(applyLikeClip(word, merges)).as(word).containsExactly(word + "</w>");
        }
        System.out.printf("toy vocabulary: %d words, %d merges, CLIP vocabulary size %d%n", ToyVocabulary.worldWords().size(),
                merges.size(), ToyVocabulary.clipVocabularySize(merges));
        assertThat(merges).doesNotHaveDuplicates();
        assertThat(ToyVocabulary.clipVocabularySize(merges)).isEqualTo(514 + merges.size()).isLessThan(1024);
        assertThat(ToyVocabulary.worldMerges()).isEqualTo(merges);
    }

    @Test
    void writesClipsGzipFormat() throws Exception {
        List<String> merges = ToyVocabulary.worldMerges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ToyVocabulary.write(out, merges);
        byte[] gz = out.toByteArray();
        String text;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> lines = List.of(text.split("\n"));
        assertThat(lines.get(0)).isEqualTo("#version: 0.2");
        assertThat(lines.subList(1, lines.size())).isEqualTo(merges);
        assertThat(lines.subList(1, lines.size())).allMatch(l -> l.matches("[a-z]+(</w>)? [a-z]+(</w>)?"));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        ToyVocabulary.write(again, merges);
        assertThat(again.toByteArray()).isEqualTo(gz);
    }

    /** CLIP's {@code bpe()}: repeatedly merge the present pair of lowest rank. */
    private static List<String> applyLikeClip(String word, List<String> merges) {
        Map<String, Integer> ranks = new HashMap<>();
        for (int i = 0; i < merges.size(); i++) {
            ranks.put(merges.get(i), i);
        }
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < word.length(); i++) {
            symbols.add(word.charAt(i) + (i == word.length() - 1 ? "</w>" : ""));
        }
        while (symbols.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer rank = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            String first = symbols.get(best);
            String second = symbols.get(best + 1);
            List<String> merged = new ArrayList<>();
            for (int i = 0; i < symbols.size(); i++) {
                if (i + 1 < symbols.size() && symbols.get(i).equals(first) && symbols.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else {
                    merged.add(symbols.get(i));
                }
            }
            symbols = merged;
        }
        return symbols;
    }
}
