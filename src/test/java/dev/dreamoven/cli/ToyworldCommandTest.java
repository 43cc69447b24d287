package dev.dreamoven.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.InvalidInputException;
import dev.dreamoven.toyworld.ToyClipSettings;
import org.junit.jupiter.api.Test;

class ToyworldCommandTest {

    @Test
    void dream_negatives_are_given_as_pool_steps_and_lifetime_or_zero_for_none() {
        assertThat(ToyworldCommand.Train.parseDreamNegatives("16,2,32"))
                .isEqualTo(new ToyClipSettings.DreamNegatives(16, 2, 32));
        assertThat(ToyworldCommand.Train.parseDreamNegatives(" 8 , 1 , 4 "))
                .isEqualTo(new ToyClipSettings.DreamNegatives(8, 1, 4));
        assertThat(ToyworldCommand.Train.parseDreamNegatives("0")).isEqualTo(ToyClipSettings.DreamNegatives.NONE);
        assertThat(ToyworldCommand.Train.parseDreamNegatives("16,loop,4")).isEqualTo(new ToyClipSettings.DreamNegatives(
                16, 0, 4, ToyClipSettings.DreamNegatives.Source.DREAM_LOOP));
    }

    @Test
    void malformed_dream_negatives_get_one_clear_line() {
        for (String bad : new String[] {"16", "16,2", "a,b,c", "16,0,32", "-1,2,3", "", "16,loop,0", "16,lop,4"}) {
            assertThatThrownBy(() -> ToyworldCommand.Train.parseDreamNegatives(bad))
                    .as(bad).isInstanceOf(InvalidInputException.class);
        }
    }
}
