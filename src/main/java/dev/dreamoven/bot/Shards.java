package dev.dreamoven.bot;

/**
 * Which shard of a sharded bot receives a guild's events, by Discord's rule {@code (guildId >> 22) % total}:
 * the process that owns that shard sees the guild's channels, so it is the one that can post there.
 */
public final class Shards {

    private Shards() {
    }

    /**
     * The shard of {@code guildId} among {@code total}; direct messages (no guild: null or blank) go to shard 0.
     *
     * @throws IllegalArgumentException when {@code total} is not positive or the id is not a snowflake
     */
    public static int shardOf(String guildId, int total) {
        if (total < 1) {
            throw new IllegalArgumentException("a shard total is at least 1, got " + total);
        }
        if (guildId == null || guildId.isBlank()) {
            return 0;
        }
        long id;
        try {
            id = Long.parseUnsignedLong(guildId.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a guild id is a snowflake (digits), got '" + guildId + "'");
        }
        return (int) Long.remainderUnsigned(id >>> 22, total);
    }
}
