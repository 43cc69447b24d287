package dev.dreamoven.common;

/**
 * Dream Oven cannot work where it runs, through no fault of the input: another process owns the
 * database, the database is read-only, the disk is full. The message is one line for the operator
 * that says what to do; the command line prints it and exits with code {@value #EXIT_CODE}.
 */
public class UnavailableException extends RuntimeException {

    /** The exit code of a command that could not run where it was started. */
    public static final int EXIT_CODE = 1;

    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
