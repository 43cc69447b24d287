package dev.dreamoven.discord;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a failed Discord request does: it is logged with what it was for, never swallowed. */
final class RestFailures {

    private static final Logger LOG = LoggerFactory.getLogger(RestFailures.class);

    private RestFailures() {
    }

    /** A failure callback for {@code RestAction#queue}: a warning naming {@code what}. */
    static Consumer<Throwable> logged(String what) {
        return e -> LOG.warn("Discord: {} failed: {}", what, e.toString());
    }

    /** A success callback that does nothing. */
    static <T> Consumer<T> ignored() {
        return ok -> { };
    }
}
