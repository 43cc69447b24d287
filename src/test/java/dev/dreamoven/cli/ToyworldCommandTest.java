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

    @Test
    void adversarial_training_is_given_as_radius_and_steps_or_zero_for_none() {
        assertThat(ToyworldCommand.Train.parseAdversarial("3,3")).isEqualTo(new ToyClipSettings.Adversarial(3, 3));
        assertThat(ToyworldCommand.Train.parseAdversarial(" 0.5 , 2 ")).isEqualTo(new ToyClipSettings.Adversarial(0.5, 2));
        assertThat(ToyworldCommand.Train.parseAdversarial("0")).isEqualTo(ToyClipSettings.Adversarial.NONE);
        for (String bad : new String[] {"3", "3,0", "0,3", "-1,2", "a,b", "", "3,3,3", "1,21"}) {
            assertThatThrownBy(() -> ToyworldCommand.Train.parseAdversarial(bad))
                    .as(bad).isInstanceOf(InvalidInputException.class);
        }
    }
}
