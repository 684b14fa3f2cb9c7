package io.decoupled.claimcheck;

/**
 * A pointer that can never be resolved: unreadable, or naming an S3 object that does not exist (expired by the
 * bucket's lifecycle, or never written). Retrying cannot help, so a consumer sets the message aside with this message
 * as its reason instead of letting it come back until its queue's DLQ takes it.
 */
public final class MissingPayloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissingPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
