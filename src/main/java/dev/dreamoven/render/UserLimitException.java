package dev.dreamoven.render;

import dev.dreamoven.common.InvalidInputException;

/** The requester has {@code render.per-user} jobs waiting already. */
public final class UserLimitException extends InvalidInputException {
    public UserLimitException(int perUser) {
        super("You already have " + perUser + " jobs waiting. Wait for one to finish, or /cancel one.");
    }
}
