package io.decoupled.infra.compute;

import io.decoupled.infra.Nag;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.BucketProps;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The load balancer's access logs: a bucket with the only encryption ALB can write to (S3-managed keys), TLS only,
 * no public access, objects kept 90 days. Kept on {@code cdk destroy} (a bucket with objects cannot be deleted by
 * CloudFormation); docs/infra.md says how to remove it.
 */
final class AccessLogBucket extends Bucket {

    AccessLogBucket(Construct scope, String id) {
        super(
                scope,
                id,
                BucketProps.builder()
                        .encryption(BucketEncryption.S3_MANAGED)
                        .enforceSsl(true)
                        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                        .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                        .lifecycleRules(List.of(LifecycleRule.builder()
                                .expiration(Duration.days(90))
                                .build()))
                        .removalPolicy(RemovalPolicy.RETAIN)
                        .build());
        Nag.accept(
                this,
                "AwsSolutions-S1",
                "This bucket holds access logs; logging access to it would need yet another bucket.");
    }
}
