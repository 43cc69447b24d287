package dev.dreamoven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.image.PngFiles;
import dev.dreamoven.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bake --batch, baked list, microwave and dream --mode auto on the golden tiny CLIP, tiny budgets. */
class BakeCommandTest {

    @TempDir
    Path dir;

    private ClipCommandTest.Run cli(String... args) throws Exception {
        Path config = dir.resolve("test.properties");
        Files.writeString(config, "store.database=" + dir.resolve("d.db").toString().replace('\\', '/') + "\n"
                + "store.baked=" + dir.resolve("baked").toString().replace('\\', '/') + "\n"
                + "model.checkpoint=" + SharedFixtures.require("clip-golden/tiny-clip.pt").toString().replace('\\', '/') + "\n"
                + "model.vocab=" + SharedFixtures.require("clip-golden/bpe_simple_vocab_16e6.txt.gz").toString()
                        .replace('\\', '/') + "\n"
                + "dream.size=16\nbake.auto-max-distance=10\n");
        List<String> all = new ArrayList<>(List.of("--config", config.toString(), "--threads", "1"));
        all.addAll(List.of(args));
        return ClipCommandTest.run(all.toArray(String[]::new));
    }

    @Tag("slow")
    @Test
    void aBatchBakesEachPromptOnceAndResumesAndTheBakedPromptIsMicrowaved() throws Exception {
        Path batch = dir.resolve("prompts.txt");
        Files.writeString(batch, "# toy prompts\na steam train\n\na pirate ship\na steam train\n");
        String[] bake = {"bake", "--batch", batch.toString(), "--stages", "2", "--render-steps", "6",
            "--replay-steps", "4", "--render-preset", "draft"};

        ClipCommandTest.Run first = cli(bake);
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("baked ").contains("'a steam train'").contains("'a pirate ship'")
                .contains("bake: 2 baked, 0 already baked, 0 failed");

        ClipCommandTest.Run again = cli(bake);
        assertThat(again.out()).contains("bake: 0 baked, 2 already baked, 0 failed");

        ClipCommandTest.Run list = cli("baked", "list");
        assertThat(list.out()).contains("a steam train").contains("a pirate ship");

        Path out = dir.resolve("m.png");
        ClipCommandTest.Run microwave = cli("microwave", "a steam train", "--steps", "4", "--seed", "1",
                "--out", out.toString());
        assertThat(microwave.exit()).as(microwave.err()).isZero();
        assertThat(PngFiles.readText(out).get("mode")).isEqualTo("microwave from 'a steam train'");

        java.util.regex.Matcher id = java.util.regex.Pattern.compile("baked ([0-9a-f]{16}) 'a pirate ship'")
                .matcher(first.out());
        assertThat(id.find()).isTrue();
        Path byId = dir.resolve("id.png");
        ClipCommandTest.Run byPrefix = cli("microwave", id.group(1).substring(0, 6), "--steps", "4", "--seed", "1",
                "--out", byId.toString());
        assertThat(byPrefix.exit()).as(byPrefix.err()).isZero();
        assertThat(PngFiles.readText(byId).get("prompt")).isEqualTo("a pirate ship");

        Path auto = dir.resolve("a.png");
        ClipCommandTest.Run near = cli("dream", "a long steam train", "--steps", "4", "--seed", "1", "--out",
                auto.toString());
        assertThat(near.exit()).as(near.err()).isZero();
        // 'a pirate ship' is near too under the test's bound, but says something else: never blended.
        assertThat(near.err()).contains("dream: starting from the baked path of 'a steam train' (very close)");
        assertThat(PngFiles.readText(auto).get("mode")).startsWith("auto-microwave");
    }

    @Test
    void microwavingAnUnbakedPromptIsRefusedInOneLine() throws Exception {
        ClipCommandTest.Run r = cli("microwave", "a lonely cloud", "--out", dir.resolve("x.png").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("has not been baked");
        assertThat(dir.resolve("x.png")).doesNotExist();
    }
}
