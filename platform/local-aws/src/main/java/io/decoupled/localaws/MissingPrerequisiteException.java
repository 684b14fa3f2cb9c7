package io.decoupled.localaws;

/** A tool the local environment needs is not installed; the message says what to install. */
public final class MissingPrerequisiteException extends RuntimeException {
    public MissingPrerequisiteException(String message) {
        super(message);
    }
}
