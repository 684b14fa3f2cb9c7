package io.decoupled.awscalls;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * AWS error codes that refuse a call for a reason that lies with the resource, its KMS key or the caller's
 * credentials, never with what one request carried: an IAM change, a disabled or throttled key, a deleted topic, an
 * expired token. They are 4xx, but every request would be refused alike; a caller that counts them against the items
 * it sends (an outbox counting attempts per event) would give up on all of its items for one configuration change.
 * So callers treat them as the service being unusable, like an outage.
 */
public final class AwsRefusals {
    private static final Set<String> REFUSALS_OF_EVERY_REQUEST = Set.of(
            "AuthorizationError",
            "InvalidSecurity",
            "NotFound",
            "InvalidClientTokenId",
            "UnrecognizedClientException",
            "SignatureDoesNotMatch",
            "IncompleteSignature",
            "MissingAuthenticationToken",
            "ExpiredToken",
            "ExpiredTokenException",
            "RequestExpired");

    private AwsRefusals() {}

    /** Whether this error code (of a whole call, or of one entry of a batch) refuses every request alike. */
    public static boolean refusesEveryRequest(String errorCode) {
        return errorCode != null && (errorCode.startsWith("KMS") || REFUSALS_OF_EVERY_REQUEST.contains(errorCode));
    }

    /** Whether the service refused this call with such a code. */
    public static boolean refusesEveryRequest(AwsServiceException e) {
        return e.awsErrorDetails() != null
                && refusesEveryRequest(e.awsErrorDetails().errorCode());
    }
}
