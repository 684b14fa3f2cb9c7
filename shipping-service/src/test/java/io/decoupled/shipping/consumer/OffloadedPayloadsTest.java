package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The claim check's reading side without S3: what is a pointer, what is poison, what is left to retry. */
class OffloadedPayloadsTest {
    private static final String POINTER =
            "[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\"b\",\"s3Key\":\"k\"}]";

    @Test
    void anOrdinaryPayloadIsHandedOnAsItIs() {
        var body = "{\"eventType\":\"OrderPlaced\"}";
        assertThat(OffloadedPayloads.none().resolve(body)).isSameAs(body);
        assertThat(OffloadedPayloads.isPointer(body)).isFalse();
        assertThat(OffloadedPayloads.isPointer(null)).isFalse();
    }

    @Test
    void onlyTheExtendedClientsPointerShapeIsAPointer() {
        assertThat(OffloadedPayloads.isPointer(POINTER)).isTrue();
        // Mentioning the class elsewhere in a body is not a pointer.
        assertThat(OffloadedPayloads.isPointer("{\"note\":\"software.amazon.payloadoffloading.PayloadS3Pointer\"}"))
                .isFalse();
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
    void aMissingObjectIsRecognisedThroughTheLibrarysWrapperAndOtherFailuresAreNot() {
        var missing = SdkException.create(
                "Failed to get the S3 object which contains the payload.",
                NoSuchKeyException.builder().statusCode(404).build());
        var unavailable = SdkException.create(
                "Failed to get the S3 object which contains the payload.",
                S3Exception.builder().statusCode(503).build());
        assertThat(OffloadedPayloads.isMissing(missing)).isTrue();
        assertThat(OffloadedPayloads.isMissing(unavailable)).isFalse();
        // Not poison: the consumer retries it in place like any transient failure.
        assertThat(FailureKind.of(unavailable)).isEqualTo(FailureKind.TRANSIENT);
    }
}
