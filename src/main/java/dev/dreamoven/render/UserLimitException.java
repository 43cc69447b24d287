package dev.dreamoven.render;

import dev.dreamoven.common.InvalidInputException;

/** The requester has {@code render.per-user} jobs queued or running already. */
public final class UserLimitException extends InvalidInputException {
    public UserLimitException(int perUser) {
        super("You already have " + perUser + (perUser == 1 ? " job" : " jobs")
                + " queued or running. Wait for one to finish, or /cancel one.");
    }
}
