package dev.dreamoven.lab.fakediscord;

import java.util.Arrays;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.utils.Compression;

/**
 * The JDA settings that point the real client at a {@link FakeDiscord}: REST base URL, a session controller whose
 * gateway is the fake, no compression (the fake speaks plain JSON), and no JDA shutdown hook.
 */
public final class FakeDiscordJda {

    private FakeDiscordJda() {
    }

    /** {@code JDABuilder.createLight} with the given intents, pointed at the fake. */
    public static JDABuilder light(FakeDiscord fake, GatewayIntent... intents) {
        return pointAt(JDABuilder.createLight(fake.token(), Arrays.asList(intents)), fake);
    }

    /** Points an existing builder at the fake. */
    public static JDABuilder pointAt(JDABuilder builder, FakeDiscord fake) {
        return builder.setRestConfig(new RestConfig().setBaseUrl(fake.apiBaseUrl()))
                .setSessionController(fake.sessionController())
                .setCompression(Compression.NONE)
                .setEnableShutdownHook(false);
    }

    /** {@code DefaultShardManagerBuilder.createLight} pointed at the fake; the shard count comes from GET /gateway/bot. */
    public static DefaultShardManagerBuilder lightShards(FakeDiscord fake, GatewayIntent... intents) {
        return DefaultShardManagerBuilder.createLight(fake.token(), Arrays.asList(intents))
                .setRestConfig(new RestConfig().setBaseUrl(fake.apiBaseUrl()))
                .setSessionController(fake.sessionController())
                .setCompression(Compression.NONE)
                .setEnableShutdownHook(false);
    }
}
