package io.decoupled.console.provision;

import io.decoupled.topology.Topology;
import io.decoupled.topology.provision.PayloadBucket;
import io.decoupled.topology.provision.ProvisioningReport;
import io.decoupled.topology.provision.TopologyProvisioner;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code console provision}: converges whatever endpoint the SDK's standard settings name (docker compose sets
 * {@code AWS_ENDPOINT_URL}) to {@link Topology#reference()} and exits, 0 on success. Idempotent, so running it
 * on every {@code docker compose up} is safe; the services start only after it completed, so none of them
 * ever polls a queue that does not exist yet. It also creates the payload bucket of the claim check, and under compose
 * writes shipping-service's admin token for this start ({@link AdminTokenFile}).
 */
public final class ProvisionCommand {
    private static final Duration REACHABLE_WITHIN = Duration.ofSeconds(90);

    private ProvisionCommand() {}

    public static int run() {
        try (var sqs = SqsClient.create();
                var sns = SnsClient.create();
                var kinesis = KinesisClient.create()) {
            var report = provisionWhenReachable(
                    new TopologyProvisioner(sqs, sns, kinesis), Topology.reference(), REACHABLE_WITHIN);
            report.effectiveChanges().forEach(change -> System.out.println("provisioned: " + change));
            System.out.println(
                    report.changedNothing()
                            ? "topology already in place; nothing changed"
                            : "topology provisioned: "
                                    + report.effectiveChanges().size() + " changes");
            ensurePayloadBucket();
            AdminTokenFile.write(System.getenv())
                    .ifPresent(file -> System.out.println("shipping-service admin token for this start written to "
                            + file + " (docker compose exec console cat " + file + ")"));
            return 0;
        } catch (RuntimeException e) {
            System.err.println(
                    "provisioning failed: " + e.getMessage()
                            + "\nIs an AWS emulator running? With docker compose, COMPOSE_PROFILES (set to localstack by .env, or floci) starts one.");
            return 1;
        }
    }

    /**
     * The claim check's bucket (events past 256 KiB). Path-style, as an emulator endpoint needs. Not fatal: an emulator
     * without S3 still runs everything else, and order-service then parks only the events too large for SNS.
     */
    static void ensurePayloadBucket() {
        try (var s3 = S3Client.builder().forcePathStyle(true).build()) {
            PayloadBucket.ensure(s3, Topology.LOCAL_PAYLOAD_BUCKET);
            System.out.println("payload bucket " + Topology.LOCAL_PAYLOAD_BUCKET + " in place");
        } catch (RuntimeException e) {
            System.err.println("could not create the payload bucket " + Topology.LOCAL_PAYLOAD_BUCKET + " ("
                    + e.getMessage() + "): orders whose events pass 256 KiB will be parked by order-service's relay");
        }
    }

    /** Retries while the endpoint does not answer at all (an emulator still starting); other errors fail at once. */
    static ProvisioningReport provisionWhenReachable(
            TopologyProvisioner provisioner, Topology topology, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            try {
                return provisioner.provision(topology);
            } catch (SdkClientException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                System.out.println("waiting for the AWS endpoint: " + e.getMessage());
                try {
                    Thread.sleep(Duration.ofSeconds(2));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
