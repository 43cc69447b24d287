package dev.dreamoven.cli;

import dev.dreamoven.App;
import dev.dreamoven.InvalidInputException;
import dev.dreamoven.config.AppConfig;
import dev.dreamoven.discord.DiscordService;
import dev.dreamoven.render.PlaceholderEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the Discord bot until the process is stopped; a stop puts the running job back in the queue. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the Discord bot. The token comes from $DISCORD_TOKEN or the file discord.token-file.")
public final class ServeCommand implements Callable<Integer> {

    private final App app;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--engine", paramLabel = "app|placeholder", defaultValue = "app",
            description = "app: the engine this build wires in (default); placeholder: coloured blocks, no model.")
    String engine;

    ServeCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() throws Exception {
        AppConfig config = app.config();
        String token = token(config);
        if ("placeholder".equals(engine)) {
            app.renderEngineFactory(a -> new PlaceholderEngine(20, 100));
        } else if (!"app".equals(engine)) {
            throw new InvalidInputException("--engine must be app or placeholder");
        }
        if ("app".equals(engine)) {
            app.oven(); // load the model now: a missing or broken model fails before logging in
        }
        var queue = app.renderService();
        DiscordService service;
        try {
            service = DiscordService.start(token, new DiscordService.Settings(
                            DiscordService.parseGuilds(config.find("discord.guilds").orElse("")),
                            config.find("discord.admin-role").orElse(""),
                            Duration.ofSeconds(config.getInt("discord.preview-seconds"))),
                    queue, app.database(), app.bakedPrompts());
        } catch (DiscordService.LoginException e) {
            spec.commandLine().getErr().println("serve: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "serve-shutdown"));
        stopped.await();
        return 0;
    }

    /** $DISCORD_TOKEN, else the token file; never logged. */
    String token(AppConfig config) {
        String fromEnv = app.environment().get("DISCORD_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        Path file = Path.of(config.find("discord.token-file").orElse("secrets/discord-token"));
        if (Files.isRegularFile(file)) {
            try {
                String t = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!t.isEmpty()) {
                    return t;
                }
            } catch (IOException e) {
                throw new InvalidInputException("cannot read the token file " + file + ": " + e.getMessage());
            }
        }
        throw new InvalidInputException("no Discord token: set DISCORD_TOKEN or put the token in " + file);
    }
}
