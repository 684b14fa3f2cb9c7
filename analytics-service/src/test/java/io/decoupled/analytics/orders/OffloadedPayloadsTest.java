package io.decoupled.analytics.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.decoupled.analytics.failures.Failures;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The claim check's reading side in analytics without S3: what is a pointer, what is poison, what is transient. */
class OffloadedPayloadsTest {
    private final OffloadedPayloads payloads =
            new OffloadedPayloads(S3Client.builder().region(Region.US_EAST_1).build());

    @Test
    void anOrdinaryEventIsHandedOnAsItIs() {
        var body = "{\"eventType\":\"OrderPlaced\"}";
        assertThat(payloads.resolve(body)).isSameAs(body);
        assertThat(OffloadedPayloads.isPointer("{\"note\":\"software.amazon.payloadoffloading.PayloadS3Pointer\"}"))
                .isFalse();
        assertThat(
                        OffloadedPayloads.isPointer(
                                "[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\"b\",\"s3Key\":\"k\"}]"))
                .isTrue();
    }

    @Test
    void anUnreadablePointerIsPoison() {
        assertThatThrownBy(
                        () -> payloads.resolve("[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3Key\":"))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(Failures.classify(e)).isEqualTo(Failures.Kind.POISON));
    }

    @Test
    void aMissingObjectIsRecognisedThroughTheLibrarysWrapperAndAnUnavailableS3IsNot() {
        var missing = SdkException.create(
                "Failed to get the S3 object which contains the payload.",
                NoSuchKeyException.builder().statusCode(404).build());
        var unavailable = SdkException.create(
                "Failed to get the S3 object which contains the payload.",
                S3Exception.builder().statusCode(503).build());
        assertThat(OffloadedPayloads.isMissing(missing)).isTrue();
        assertThat(OffloadedPayloads.isMissing(unavailable)).isFalse();
        // Rethrown as it is, it is backed off, not set aside.
        assertThat(Failures.classify(unavailable)).isEqualTo(Failures.Kind.TRANSIENT);
    }
}
