package dev.dreamoven.lab.fakediscord;

/** Thrown by a route handler to answer with Discord's error body {@code {message, code}}. */
final class DiscordError extends RuntimeException {

    final int status;
    final int code;

    DiscordError(int status, int code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static DiscordError unknownChannel() {
        return new DiscordError(404, 10003, "Unknown Channel");
    }

    static DiscordError unknownMessage() {
        return new DiscordError(404, 10008, "Unknown Message");
    }

    static DiscordError unknownWebhook() {
        return new DiscordError(404, 10015, "Unknown Webhook");
    }

    static DiscordError unknownInteraction() {
        return new DiscordError(404, 10062, "Unknown interaction");
    }

    static DiscordError missingAccess() {
        return new DiscordError(403, 50001, "Missing Access");
    }

    static DiscordError missingPermissions() {
        return new DiscordError(403, 50013, "Missing Permissions");
    }

    static DiscordError invalidWebhookToken() {
        return new DiscordError(401, 50027, "Invalid Webhook Token");
    }
}
