package io.decoupled.claimcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The claim check's reading side without S3: what is a pointer, what can never be resolved, what is left to retry. The
 * round trip through S3 itself is proven on fauxqs by the services' tests and LargePayloadContract.
 */
class PayloadPointersTest {
    private static final String POINTER =
            "[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\"b\",\"s3Key\":\"k\"}]";

    @Test
    void anOrdinaryPayloadIsHandedOnAsItIsWithoutTouchingS3() {
        var body = "{\"eventType\":\"OrderPlaced\"}";
        try (var s3 = S3Client.builder().region(Region.US_EAST_1).build()) {
            assertThat(PayloadPointers.through(s3).resolve(body)).isSameAs(body);
        }
        assertThat(PayloadPointers.withoutStore().resolve(body)).isSameAs(body);
        assertThat(PayloadPointers.isPointer(body)).isFalse();
        assertThat(PayloadPointers.isPointer(null)).isFalse();
    }

    @Test
    void onlyTheExtendedClientsPointerShapeIsAPointer() {
        assertThat(PayloadPointers.isPointer(POINTER)).isTrue();
        // Mentioning the class elsewhere in a body is not a pointer.
        assertThat(PayloadPointers.isPointer("{\"note\":\"software.amazon.payloadoffloading.PayloadS3Pointer\"}"))
                .isFalse();
    }

    @Test
    void anUnreadablePointerCanNeverBeResolved() {
        assertThatThrownBy(() -> PayloadPointers.withoutStore()
                        .resolve("[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3Key\":"))
                .isInstanceOf(MissingPayloadException.class)
                .hasMessageContaining("unreadable pointer");
    }

    @Test
    void aPointerWithoutAPayloadStoreNamesWhereItPoints() {
        assertThatThrownBy(() -> PayloadPointers.withoutStore().resolve(POINTER))
                .isInstanceOf(MissingPayloadException.class)
                .hasMessageContaining("s3://b/k");
    }

    @Test
    void aMissingObjectIsRecognisedThroughTheLibrarysWrapperAndAnUnavailableS3IsNot() {
        var missing = SdkException.create(
                "Failed to get the S3 object which contains the payload.",
                NoSuchKeyException.builder().statusCode(404).build());
        var unavailable = SdkException.create(
                "Failed to get the S3 object which contains the payload.",
                S3Exception.builder().statusCode(503).build());
        assertThat(PayloadPointers.isMissing(missing)).isTrue();
        assertThat(PayloadPointers.isMissing(unavailable)).isFalse();
    }
}
