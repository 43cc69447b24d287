package dev.dreamoven.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.common.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaletteTest {

    @Test
    void namedPalettesAreKnown() {
        assertThat(Palette.parse("none").isLevels()).isTrue();
        assertThat(Palette.parse("none").colours()).isEmpty();
        assertThat(Palette.parse("PICO8").colours()).hasSize(16).contains(0xFF004D);
        assertThat(Palette.parse("gameboy").colours()).containsExactly(0x0F380F, 0x306230, 0x8BAC0F, 0x9BBC0F);
        assertThat(Palette.parse("nes").colours()).hasSizeBetween(52, 56).doesNotHaveDuplicates();
        assertThat(Palette.parse("nes").name()).isEqualTo("nes");
    }

    @Test
    void hexListsAcceptCommasSpacesAndOptionalHash() {
        Palette p = Palette.parse("#DC2828, 28b43c  #2850DC");
        assertThat(p.name()).isEqualTo("custom");
        assertThat(p.colours()).containsExactly(0xDC2828, 0x28B43C, 0x2850DC);
        assertThat(Palette.parse(p.spec())).isEqualTo(p);
    }

    @Test
    void badPalettesAreRefusedWithTheChoices() {
        for (String bad : List.of("sepia", "#12345", "#GG0000", "", "  ", "#DC2828,#zz")) {
            assertThatThrownBy(() -> Palette.parse(bad))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("pico8")
                    .hasMessageNotContaining("\n");
        }
    }
}
