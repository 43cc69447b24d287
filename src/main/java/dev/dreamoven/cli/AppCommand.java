package dev.dreamoven.cli;

import dev.dreamoven.settings.Settings;

/**
 * A command that works with Dream Oven's services. picocli fills in its options; then the
 * composition root reads the settings once, lets the command adjust them ({@link #configure}: a
 * {@code --checkpoint} option, say), builds the services over them and hands them to {@link #run}.
 */
public interface AppCommand {

    /** The settings this command's options override; called once, before any service is built. */
    default Settings configure(Settings settings) {
        return settings;
    }

    /** @return the exit code */
    int run(Services services) throws Exception;
}
