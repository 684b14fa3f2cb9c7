package io.decoupled.childprocess;

import java.io.IOException;
import java.util.Optional;

/**
 * What "ready" means for one kind of child, a strategy its caller supplies to {@link ChildProcess#awaitReady}: a port
 * the child announced in its log, a port that accepts connections, a health endpoint that says UP.
 */
@FunctionalInterface
public interface Readiness<T> {

    /**
     * The value once the child is ready (the port it announced, say), empty while it is not yet. An
     * {@link IOException} counts as "not yet" (nothing listens yet).
     */
    Optional<T> check(ChildProcess child) throws IOException, InterruptedException;
}
