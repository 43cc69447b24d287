package dev.dreamoven.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Discord's rule for the shard of a guild: {@code (guildId >> 22) % total}. */
class ShardsTest {

    /** A snowflake whose timestamp bits are {@code millis} and whose low 22 bits are {@code low}. */
    private static String guild(long millis, long low) {
        return Long.toString((millis << 22) | low);
    }

    @Test
    void aGuildsShardComesFromTheTimestampBitsOfItsIdModuloTheTotal() {
        assertThat(Shards.shardOf(guild(5, 0x3F_FFFF), 2)).as("the low 22 bits do not count").isEqualTo(1);
        assertThat(Shards.shardOf(guild(5, 0), 3)).isEqualTo(2);
        assertThat(Shards.shardOf(guild(6, 17), 3)).isZero();
        assertThat(Shards.shardOf("81384788765712384", 4)).as("(81384788765712384 >> 22) %% 4")
                .isEqualTo((int) ((81384788765712384L >> 22) % 4));
    }

    @Test
    void oneShardHasEveryGuildAndDirectMessagesGoToShardZero() {
        assertThat(Shards.shardOf("81384788765712384", 1)).isZero();
        assertThat(Shards.shardOf(null, 8)).isZero();
        assertThat(Shards.shardOf("", 8)).isZero();
    }

    @Test
    void aTotalBelowOneOrAnIdThatIsNoSnowflakeIsRefused() {
        assertThatThrownBy(() -> Shards.shardOf("81384788765712384", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Shards.shardOf("guild", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'guild'");
    }
}
