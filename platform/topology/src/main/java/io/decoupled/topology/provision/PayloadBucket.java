package io.decoupled.topology.provision;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Creates the bucket of offloaded payloads (claim check) on a local endpoint, idempotently, beside the topology (the
 * embedded emulators, LocalStack, and docker compose's provisioner). In
 * AWS the CDK app's MessagingStack owns it, with encryption, TLS only and the lifecycle rule that expires what the
 * consumers never delete.
 */
public final class PayloadBucket {
    private PayloadBucket() {}

    /** Creates the bucket unless it exists; safe to call on every start. */
    public static void ensure(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            // HEAD has no error body: a missing bucket is a bare 404.
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
        }
    }
}
