package dev.dreamoven.bake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.clip.ClipModels;
import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.clip.TorchRuntime;
import dev.dreamoven.dream.DreamListener;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.dream.DreamSettings;
import dev.dreamoven.image.PngFiles;
import dev.dreamoven.store.Database;
import dev.dreamoven.testing.GarbageCollectingClip;
import dev.dreamoven.testing.SharedFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The oven end to end on the golden tiny CLIP (OpenAI architecture, random weights, 32 px input). */
class OvenTest {

    @TempDir
    static Path dir;
    static NDManager models;
    static LoadedClip clip;
    static Database db;
    static Oven oven;

    @BeforeAll
    static void open() {
        Path checkpoint = SharedFixtures.require("clip-golden/tiny-clip.pt");
        Path vocab = SharedFixtures.require("clip-golden/bpe_simple_vocab_16e6.txt.gz");
        TorchRuntime.start(2, 1);
        models = NDManager.newBaseManager();
        clip = ClipModels.open(checkpoint.toString(), Optional.of(vocab), models);
        db = Database.open(dir.resolve("oven.db"));
        BakedPathStore store = new BakedPathStore(db, dir.resolve("baked"));
        // Every baked prompt counts as near, so that auto-microwave is reachable on random weights.
        oven = new Oven(clip, store, new TextEmbeddingCache(100), new Planner(store, 10.0),
                new Oven.Defaults("draft", 32, 2, "none", 0.3, 0.5, false, 0.0));
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
        if (clip != null) {
            clip.close();
            models.close();
        }
    }

    static DreamRequest request(String prompt, DreamRequest.Mode mode) {
        return new DreamRequest(prompt, List.of(), 0, 12, 5, null, null, 0, mode);
    }

    @Test
    void badRequestsFailBeforeAnyWork() {
        assertThatThrownBy(() -> oven.prepare(request("   ", DreamRequest.Mode.AUTO)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> oven.prepare(new DreamRequest("a cat", List.of(), 10000, 0, 1, null, null, 0, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> oven.prepare(new DreamRequest("a cat", List.of(), 0, 0, 1, null, "plaid", 0, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("palette");
        assertThatThrownBy(() -> oven.prepare(new DreamRequest("a cat", List.of(), 0, 0, 1, "fast", null, 0, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("preset");
        assertThatThrownBy(() -> oven.prepare(request("a cat ".repeat(100), DreamRequest.Mode.AUTO)))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anUnbakedPromptIsDreamedNormallyIntoAnUpscaledPngThatSaysHowItWasMade() {
        Oven.Cooked cooked = oven.cook(request("a lonely cloud", DreamRequest.Mode.NORMAL), DreamListener.NONE);

        assertThat(cooked.mode()).isEqualTo("normal");
        assertThat(cooked.pixelArt().width()).isEqualTo(32);
        assertThat(PngFiles.decode(cooked.png()).width()).isEqualTo(64);
        Map<String, String> text = PngFiles.readText(cooked.png());
        assertThat(text).containsEntry("prompt", "a lonely cloud").containsEntry("seed", "5")
                .containsEntry("mode", "normal");
        assertThat(cooked.similarity()).isBetween(-1.0, 1.0);
    }

    /** The similarity reported and written into the PNG is the written picture's, after palette reduction. */
    @Test
    void theSimilarityReportedIsThatOfThePictureAsWritten() {
        // the free-pixel dream: its raw pixels are not yet in the palette's colours (a layered one's are)
        DreamRequest r = new DreamRequest("a lonely cloud", List.of(), 0, 12, 5, "pixels-draft", "gameboy", 0,
                DreamRequest.Mode.NORMAL);
        Oven.Cooked cooked = oven.cook(r, DreamListener.NONE);
        double written = new dev.dreamoven.dream.PictureSimilarity(clip.model()).cosine(cooked.pixelArt(),
                cooked.recipe().prompt());
        double raw = new dev.dreamoven.dream.PictureSimilarity(clip.model()).cosine(cooked.dream().image(),
                cooked.recipe().prompt());
        assertThat(written).as("a 4-colour palette changes the picture").isNotEqualTo(raw);
        assertThat(cooked.similarity()).isEqualTo(written);
        assertThat(PngFiles.readText(cooked.png())).containsEntry("similarity", String.format(java.util.Locale.ROOT,
                "%.4f", written));
    }

    /** A prompt longer than the model's context is refused when the job is submitted, not by the worker. */
    @Test
    void aPromptTheModelCannotReadIsRefusedWhenItIsSubmitted() throws Exception {
        try (Database queueDb = Database.open(dir.resolve("queue.db"))) {
            dev.dreamoven.render.RenderQueue q = new dev.dreamoven.render.RenderQueue(queueDb,
                    new dev.dreamoven.render.OvenEngine(() -> oven, 5, 1), new dev.dreamoven.render.RenderQueue.Settings(
                            10, 3, dir.resolve("results"), 2, 1000), java.time.Clock.systemUTC());
            String longPrompt = "a ".repeat(100).strip(); // 199 characters: fine by length, 100 tokens
            assertThatThrownBy(() -> q.submit(dev.dreamoven.render.JobKind.DREAM, "ann",
                    dev.dreamoven.render.JobOrigin.none(), DreamRequest.of(longPrompt, 1)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("The prompt is too long for the model " + clip.model().id() + ": 102 tokens, it reads at "
                            + "most " + clip.tokenizer().contextLength() + " (start and end included). Please shorten it.");
            assertThat(q.snapshot(10)).as("nothing was queued").isEmpty();
            q.close();
        }
    }

    @Test
    void aBakedPromptIsMicrowavedAndARefinementOfItStartsFromItsPath() {
        DreamSettings render = DreamSettings.preset("draft").toBuilder().size(32).steps(20).frameEvery(0).build();
        DreamSettings replay = DreamSettings.preset("draft").toBuilder().size(32).steps(10).frameEvery(0).build();
        Baker.BakeOutcome baked = oven.bake("a steam train", "tester", new Baker.BakeSettings(5, render, replay, 0, 0.25, 1),
                3, DreamListener.NONE);
        oven.bake("a pirate ship", "tester", new Baker.BakeSettings(5, render, replay, 0, 0.25, 1), 3, DreamListener.NONE);

        assertThat(baked.path().stageCount()).isEqualTo(5);
        assertThat(baked.path().modelId()).isEqualTo(clip.model().id());
        assertThat(baked.path().settings()).containsKeys("score.microwave", "score.normal", "method");
        assertThat(oven.store().findByPrompt(clip.model().id(), "A steam train")).isPresent();

        Oven.Cooked microwaved = oven.cook(request("a steam train", DreamRequest.Mode.AUTO), DreamListener.NONE);
        assertThat(microwaved.mode()).isEqualTo("microwave");
        assertThat(microwaved.dream().steps()).isEqualTo(12);
        assertThat(PngFiles.readText(microwaved.png())).containsEntry("plan",
                "microwaving the baked path of 'a steam train' (this very prompt); 12 steps");

        Oven.Cooked blended = oven.cook(request("a long steam train", DreamRequest.Mode.AUTO), DreamListener.NONE);
        assertThat(blended.mode()).isEqualTo("auto-microwave");
        // Every baked prompt is near under this test's bound; 'a pirate ship' says something else.
        assertThat(blended.plan().sources()).extracting(BakedPath::prompt).containsExactly("a steam train");
        assertThat(PngFiles.readText(blended.png())).containsEntry("mode", "auto-microwave from 'a steam train'")
                .containsEntry("plan", "starting from the baked path of 'a steam train' (very close); 12 steps");
    }

    @Test
    void theRenderEngineSaysThePlanBeforeTheFirstStep() throws Exception {
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.dreamoven.render.RenderProgress progress = new dev.dreamoven.render.RenderProgress() {
            @Override
            public void planned(String plan) {
                told.add("plan: " + plan);
            }

            @Override
            public void update(int step, int totalSteps, double similarity, java.util.function.Supplier<byte[]> png) {
                told.add("step " + step);
            }

            @Override
            public boolean cancelled() {
                return false;
            }
        };
        dev.dreamoven.render.RenderJob job = new dev.dreamoven.render.RenderJob(1, dev.dreamoven.render.JobKind.DREAM,
                "ann", null, request("a lonely cloud", DreamRequest.Mode.NORMAL), 0);
        new dev.dreamoven.render.OvenEngine(() -> oven, 5, 1).render(job, progress);
        assertThat(told).first().isEqualTo("plan: dreaming from scratch, as asked; 12 steps");
        assertThat(told).contains("step 1", "step 12");
    }

    @Test
    void aBakeWithSeveralCandidatesDistilsTheRenderTheModelScoresHighest() {
        DreamSettings render = DreamSettings.preset("draft").toBuilder().size(32).steps(10).frameEvery(0).build();
        DreamSettings replay = DreamSettings.preset("draft").toBuilder().size(32).steps(5).frameEvery(0).build();
        Baker.BakeOutcome best = oven.bake("a quiet harbour", "tester",
                new Baker.BakeSettings(5, render, replay, 0, 0.25, 3), 7, DreamListener.NONE);
        try {
            List<Double> single = new java.util.ArrayList<>();
            for (long seed = 7; seed < 10; seed++) {
                single.add(oven.bake("a quiet harbour", "tester", new Baker.BakeSettings(5, render, replay, 0, 0.25, 1),
                        seed, DreamListener.NONE).renderScore());
            }

            assertThat(best.renderSeed()).isBetween(7L, 9L);
            assertThat(best.renderScore()).isEqualTo(java.util.Collections.max(single))
                    .isEqualTo(single.get((int) (best.renderSeed() - 7)));
            assertThat(best.path().settings()).containsEntry("render.candidates", "3")
                    .containsEntry("render.seed", Long.toString(best.renderSeed()));
        } finally {
            oven.store().delete(best.path().id()); // the store is shared: keep other tests' nearest matches
        }
    }

    @Test
    void aRenderChooserDecidesWhichCandidateIsDistilled() {
        DreamSettings render = DreamSettings.preset("draft").toBuilder().size(32).steps(10).frameEvery(0).build();
        DreamSettings replay = DreamSettings.preset("draft").toBuilder().size(32).steps(5).frameEvery(0).build();
        List<Integer> seen = new java.util.ArrayList<>();
        Baker.BakeOutcome last = oven.bake("a quiet harbour", "tester", new Baker.BakeSettings(5, render, replay, 0, 0.25, 2),
                11, DreamListener.NONE, (renders, scores) -> {
                    seen.add(renders.size());
                    seen.add(scores.length);
                    return renders.size() - 1;
                });
        try {
            assertThat(seen).containsExactly(2, 2);
            assertThat(last.renderSeed()).isEqualTo(12L);
            assertThat(last.path().settings()).containsEntry("render.seed", "12");
        } finally {
            oven.store().delete(last.path().id());
        }
    }

    @Tag("slow")
    @Test
    void theSameRequestGivesTheSamePngBytesEvenWhenTheGarbageCollectorRunsMidStep() {
        DreamRequest request = new DreamRequest("a red circle", List.of(), 0, 40, 5, null, null, 0,
                DreamRequest.Mode.NORMAL);
        Oven hostile = new Oven(new LoadedClip(new GarbageCollectingClip(clip.model()), clip.tokenizer()),
                oven.store(), new TextEmbeddingCache(100), new Planner(oven.store(), 10.0),
                new Oven.Defaults("draft", 32, 2, "none", 0.3, 0.5, false, 0.0));

        byte[] quiet = oven.cook(request, DreamListener.NONE).png();
        assertThat(hostile.cook(request, DreamListener.NONE).png()).isEqualTo(quiet);
        assertThat(hostile.cook(request, DreamListener.NONE).png()).isEqualTo(quiet);
        assertThat(oven.cook(request, DreamListener.NONE).png()).isEqualTo(quiet);
    }
}
