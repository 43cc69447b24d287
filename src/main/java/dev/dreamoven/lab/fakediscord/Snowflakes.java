package dev.dreamoven.lab.fakediscord;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Discord snowflakes: {@code (milliseconds since 2015-01-01 << 22) | worker/process/increment}. JDA reads the
 * creation time of an interaction from its id (the 15-minute token expiry), and the shard of a guild from
 * {@code (guildId >> 22) % shardCount}.
 */
public final class Snowflakes {

    /** Discord's epoch, 2015-01-01T00:00:00Z, in Unix milliseconds. */
    public static final long DISCORD_EPOCH_MS = 1_420_070_400_000L;

    private static final AtomicLong LAST = new AtomicLong();

    private Snowflakes() {
    }

    /** A fresh id dated now, strictly greater than every id this class handed out before. */
    public static long next() {
        long fromClock = at(Instant.now());
        return LAST.accumulateAndGet(fromClock, (last, clock) -> Math.max(last + 1, clock));
    }

    /** An id dated {@code instant} (increment bits 0); unique ids dated in the past come from {@link #datedAt}. */
    public static long at(Instant instant) {
        return (instant.toEpochMilli() - DISCORD_EPOCH_MS) << 22;
    }

    /** A unique id dated {@code instant}: its low 22 bits come from a counter. */
    public static long datedAt(Instant instant) {
        return at(instant) | (next() & 0x3F_FFFFL);
    }

    /** The creation time encoded in {@code id}. */
    public static Instant timeOf(long id) {
        return Instant.ofEpochMilli((id >>> 22) + DISCORD_EPOCH_MS);
    }

    /** The shard that receives the guild's events: {@code (guildId >> 22) % shardCount}. */
    public static int shardOf(long guildId, int shardCount) {
        return (int) ((guildId >>> 22) % shardCount);
    }

    /** A fresh guild id that Discord's rule routes to {@code shard} of {@code shardCount}. */
    public static long guildIdForShard(int shard, int shardCount) {
        if (shard < 0 || shard >= shardCount) {
            throw new IllegalArgumentException("shard " + shard + " of " + shardCount);
        }
        while (true) {
            long id = next();
            if (shardOf(id, shardCount) == shard) {
                return id;
            }
            LAST.accumulateAndGet(id + (1L << 22), Math::max); // step to the next millisecond
        }
    }
}
