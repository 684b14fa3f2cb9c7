package io.decoupled.console.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.decoupled.console.Emulators;
import io.decoupled.topology.Topology;
import io.decoupled.topology.provision.TopologyProvisioner;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The compose one-shot: converges through the SDK's standard settings, and is safe to run on every start. */
class ProvisionCommandIT {

    @Test
    void provisioningAnAlreadyProvisionedEndpointChangesNothingAndSucceeds() {
        Emulators.shared();

        assertThat(ProvisionCommand.run()).isZero();
        try (var sqs = SqsClient.create();
                var sns = SnsClient.create();
                var kinesis = KinesisClient.create()) {
            var report = ProvisionCommand.provisionWhenReachable(
                    new TopologyProvisioner(sqs, sns, kinesis), Topology.reference(), Duration.ZERO);
            assertThat(report.changedNothing()).isTrue();
        }
    }

    @Test
    void provisioningCreatesThePayloadBucketOfTheClaimCheck() {
        var aws = Emulators.shared();
        try (var s3 = aws.s3()) {
            s3.deleteBucket(b -> b.bucket(Topology.LOCAL_PAYLOAD_BUCKET));

            assertThat(ProvisionCommand.run()).isZero();

            assertThat(s3.listBuckets().buckets()).anyMatch(b -> b.name().equals(Topology.LOCAL_PAYLOAD_BUCKET));
        }
    }

    @Test
    void anEndpointThatNeverAnswersFailsAfterTheWaitInsteadOfHanging() {
        Emulators.shared(); // region and credentials from the standard settings; only the endpoint is wrong
        var nowhere = URI.create("http://127.0.0.1:1");
        try (var sqs = SqsClient.builder().endpointOverride(nowhere).build();
                var sns = SnsClient.builder().endpointOverride(nowhere).build();
                var kinesis = KinesisClient.builder().endpointOverride(nowhere).build()) {
            assertThatThrownBy(() -> ProvisionCommand.provisionWhenReachable(
                            new TopologyProvisioner(sqs, sns, kinesis), Topology.reference(), Duration.ZERO))
                    .isInstanceOf(SdkClientException.class);
        }
    }
}
