package dev.dreamoven.render;

/**
 * Where a job came from, so its notifications can find their way back, also after a restart.
 *
 * @param guildId the server, null outside one
 * @param channelId where to post when the reply can no longer be edited
 * @param replyKey the transport's handle of the live reply (an interaction id); after a restart
 *     it names nothing and the transport posts to the channel instead
 */
public record JobOrigin(String guildId, String channelId, String replyKey) {
    public static JobOrigin none() {
        return new JobOrigin(null, null, null);
    }
}
