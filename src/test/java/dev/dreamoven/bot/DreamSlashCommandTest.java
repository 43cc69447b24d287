package dev.dreamoven.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DreamSlashCommandTest {

    private final FakeChat chat = new FakeChat();

    private DreamRequest parse(Map<String, String> options) {
        return DreamSlashCommand.parse(chat.interaction("i", "dream", "u", options), 99);
    }

    @Test
    void allOptionsBecomeTheRequestAndAMissingSeedIsTheRandomOne() {
        DreamRequest r = parse(Map.of("prompt", "  a red circle ", "negative", "blur", "size", "16", "steps", "2000",
                "palette", "#1D2B53, ff004d", "preset", "Best"));
        assertThat(r.prompt()).isEqualTo("a red circle");
        assertThat(r.negatives()).containsExactly("blur");
        assertThat(r.size()).isEqualTo(16);
        assertThat(r.steps()).isEqualTo(2000);
        assertThat(r.seed()).isEqualTo(99);
        assertThat(r.palette()).isEqualTo("#1d2b53,ff004d");
        assertThat(r.preset()).isEqualTo("best");
        assertThat(parse(Map.of("prompt", "x", "seed", "0", "palette", "pico8")).seed()).isZero();
    }

    @Test
    void everyRefusalIsOneFriendlyLine() {
        Map<Map<String, String>, String> cases = Map.of(
                Map.of(), "Please give a prompt",
                Map.of("prompt", "x".repeat(301)), "at most 300",
                Map.of("prompt", "tab\there"), "control characters",
                Map.of("prompt", "zero\u200bwidth"), "control characters",
                Map.of("prompt", "x", "size", "257"), "size must be from 16 to 256",
                Map.of("prompt", "x", "steps", "0"), "steps must be from 1 to 2000",
                Map.of("prompt", "x", "steps", "many"), "steps must be a whole number",
                Map.of("prompt", "x", "seed", "-1"), "seed must be from 0",
                Map.of("prompt", "x", "palette", "#fff"), "palette must be one of none, pico8, gameboy, nes",
                Map.of("prompt", "x", "preset", "ultra"), "preset must be one of draft, normal, best");
        cases.forEach((options, message) -> assertThatThrownBy(() -> parse(options))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n")));
    }
}
