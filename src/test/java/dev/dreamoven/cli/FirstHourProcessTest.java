package dev.dreamoven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.testing.Jvm;
import dev.dreamoven.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's commands run as a new user runs them: in a fresh folder of their own, without a config file. */
class FirstHourProcessTest {

    @TempDir
    Path dir;

    private Jvm run(String... args) throws InterruptedException {
        Jvm jvm = Jvm.start(dir, Jvm.MAIN, args);
        jvm.endInput();
        assertThat(jvm.awaitExit(300)).as(jvm.output()).isZero();
        return jvm;
    }

    @Test
    void aDreamWithoutOutNeverOverwritesTheDefaultPicture() throws Exception {
        String[] dream = {"dream", "a red circle", "--size", "16", "--steps", "3", "--preset", "draft", "--seed", "1",
                "--checkpoint", SharedFixtures.require("clip-golden/tiny-clip.pt").toString(),
                "--vocab", SharedFixtures.require("clip-golden/bpe_simple_vocab_16e6.txt.gz").toString()};
        Jvm first = run(dream);
        assertThat(first.output()).contains("dream: dream.png similarity");
        byte[] before = Files.readAllBytes(dir.resolve("dream.png"));
        dream[9] = "2"; // --seed 2: another picture
        Jvm second = run(dream);
        assertThat(second.output()).contains("dream: dream-2.png similarity");
        assertThat(Files.readAllBytes(dir.resolve("dream.png"))).as("the first picture is kept").isEqualTo(before);
        assertThat(dir.resolve("dream-2.png")).exists();
    }

    @Test
    void theShippedBakedPathsAreThereWhereverTheJarRunsAndTheShippedVocabularyNeedsNoFile() throws Exception {
        Jvm list = run("baked", "list");
        assertThat(list.output()).contains("a red circle").contains("a big green cross on a yellow background");
        assertThat(dir.resolve("baked")).isDirectoryContaining(p -> p.toString().endsWith(".bake.safetensors"));
        Jvm tokens = run("clip", "tokenize", "a red circle");
        assertThat(tokens.lines()).singleElement().asString().startsWith("[").endsWith("]");
    }
}
