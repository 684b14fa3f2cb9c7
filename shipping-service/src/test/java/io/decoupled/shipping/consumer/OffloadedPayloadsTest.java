package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * This consumer's side of the claim check without S3: a pointer that can never be resolved is poison, S3 unavailable is
 * left to retry. What a pointer is, is PayloadPointersTest's (platform/claim-check).
 */
class OffloadedPayloadsTest {
    private static final String POINTER =
            "[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\"b\",\"s3Key\":\"k\"}]";

    @Test
    void anOrdinaryPayloadIsHandedOnAsItIs() {
        var body = "{\"eventType\":\"OrderPlaced\"}";
        assertThat(OffloadedPayloads.none().resolve(body)).isSameAs(body);
    }

    @Test
    void aPointerWithoutAPayloadStoreIsPoisonNamingWhereItPoints() {
        assertThatThrownBy(() -> OffloadedPayloads.none().resolve(POINTER))
                .isInstanceOf(PoisonMessageException.class)
                .hasMessageContaining("s3://b/k");
    }

    @Test
    void anUnreadablePointerIsPoison() {
        assertThatThrownBy(() -> OffloadedPayloads.none()
                        .resolve("[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3Key\":"))
                .isInstanceOf(PoisonMessageException.class)
                .hasMessageContaining("unreadable pointer");
    }

    @Test
    void anUnavailableS3IsNotPoisonButRetried() {
        var unavailable = SdkException.create(
                "Failed to get the S3 object which contains the payload.",
                S3Exception.builder().statusCode(503).build());
        assertThat(FailureKind.of(unavailable)).isEqualTo(FailureKind.TRANSIENT);
    }
}
