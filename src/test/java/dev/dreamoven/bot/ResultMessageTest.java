package dev.dreamoven.bot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.render.JobKind;
import dev.dreamoven.render.RenderJob;
import dev.dreamoven.render.RenderOutcome;
import org.junit.jupiter.api.Test;

/** The posted result says which model, or ensemble, guided the picture. */
class ResultMessageTest {

    private static final RenderJob JOB = new RenderJob(1, JobKind.DREAM, "ann", null,
            DreamRequest.of("a red circle", 3), 0);

    @Test
    void theResultNamesTheModelThatGuided() {
        String text = Messages.result(JOB, new RenderOutcome(new byte[0], "normal", "", 0.25, 3, 1.5,
                "ViT-B-32+RN50:0.5"));

        assertThat(text).contains("seed 3 · mode: normal · model: ViT-B-32+RN50:0.5 · similarity 0.250 · 1.5 s");
    }

    @Test
    void anOutcomeStoredBeforeModelsWereNamedReadsBackWithoutOne() {
        RenderOutcome old = new Gson().fromJson(
                "{\"png\":[],\"mode\":\"normal\",\"modeDetail\":\"\",\"similarity\":0.25,\"seed\":3,\"seconds\":1.5}",
                RenderOutcome.class);

        assertThat(old.model()).isEmpty();
        assertThat(Messages.result(JOB, old)).contains("mode: normal · similarity 0.250").doesNotContain("model:");
    }
}
