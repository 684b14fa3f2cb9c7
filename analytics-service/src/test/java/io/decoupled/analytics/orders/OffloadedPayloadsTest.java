package io.decoupled.analytics.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.decoupled.analytics.failures.Failures;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Analytics' side of the claim check without S3: a pointer that can never be resolved is poison (set aside), S3
 * unavailable is transient (backed off). What a pointer is, is PayloadPointersTest's (platform/claim-check).
 */
class OffloadedPayloadsTest {
    private final OffloadedPayloads payloads =
            new OffloadedPayloads(S3Client.builder().region(Region.US_EAST_1).build());

    @Test
    void anOrdinaryEventIsHandedOnAsItIs() {
        var body = "{\"eventType\":\"OrderPlaced\"}";
        assertThat(payloads.resolve(body)).isSameAs(body);
    }

    @Test
    void anUnreadablePointerIsPoison() {
        assertThatThrownBy(
                        () -> payloads.resolve("[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3Key\":"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unreadable pointer")
                .satisfies(e -> assertThat(Failures.classify(e)).isEqualTo(Failures.Kind.POISON));
    }

    @Test
    void anUnavailableS3IsTransient() {
        var unavailable = SdkException.create(
                "Failed to get the S3 object which contains the payload.",
                S3Exception.builder().statusCode(503).build());
        // Rethrown as it is, it is backed off, not set aside.
        assertThat(Failures.classify(unavailable)).isEqualTo(Failures.Kind.TRANSIENT);
    }
}
