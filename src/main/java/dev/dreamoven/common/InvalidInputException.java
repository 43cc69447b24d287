package dev.dreamoven.common;

/**
 * Input that Dream Oven refuses: a prompt, an argument, a file. The message is written for the
 * person who gave the input: the command line prints it as one line and exits with code 2, the
 * Discord bot shows it as an ephemeral reply. Every package may throw it; none should catch it
 * except at the edge.
 */
public class InvalidInputException extends RuntimeException {

    /** The exit code of a command refused for bad input. */
    public static final int EXIT_CODE = 2;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
