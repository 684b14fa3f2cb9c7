package io.decoupled.infra.archive;

import io.decoupled.infra.Nag;
import io.decoupled.infra.messaging.MessagingStack;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogStream;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.constructs.Construct;

/**
 * Archive by Kinesis Data Firehose, not by a consumer of our own: Firehose reads the clickstream as one more
 * consumer (it does not take shards from the KCL application), buffers, compresses and writes to S3 with retries
 * and an error prefix, so a hand-written archiver's checkpointing, batching and failure handling are not ours to
 * get wrong. Objects land under a date-partitioned prefix ({@code year=/month=/day=/hour=}, Hive style, so Athena
 * or Glue can prune by date); records Firehose cannot deliver land under {@code errors/} with their error type.
 *
 * <p>The bucket is encrypted (SSE-S3), TLS-only, private, versioned off (append-only objects), and moves objects
 * to cheaper storage after 30 and 90 days and deletes them after the retention given.
 */
public class ClickstreamArchiveStack extends Stack {
    public static final String PREFIX =
            "clickstream/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/";
    public static final String ERROR_PREFIX =
            "errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/";

    /**
     * @param messaging the stack holding the stream and the key that encrypts it
     * @param stream    the stream to archive (the topology's clickstream)
     * @param retentionDays    how long archived objects are kept
     * @param bufferingSeconds how long Firehose buffers before writing an object (60 to 900; longer means fewer, larger objects)
     */
    public record Props(MessagingStack messaging, String stream, int retentionDays, int bufferingSeconds) {
        public Props {
            Objects.requireNonNull(messaging, "messaging");
            Objects.requireNonNull(stream, "stream");
            if (bufferingSeconds < 60 || bufferingSeconds > 900) {
                throw new IllegalArgumentException(
                        "Firehose buffers between 60 and 900 seconds, not " + bufferingSeconds);
            }
            if (retentionDays < 91) {
                throw new IllegalArgumentException(
                        "retention must outlast the 90-day move to Glacier Instant Retrieval, not " + retentionDays
                                + " days");
            }
        }
    }

    private final Bucket bucket;
    private final CfnDeliveryStream deliveryStream;

    public ClickstreamArchiveStack(Construct scope, String id, StackProps stackProps, Props props) {
        super(scope, id, stackProps);
        var stream = props.messaging().stream(props.stream());

        var accessLogs = Bucket.Builder.create(this, "ArchiveAccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                // ACLs off: S3 delivers the access logs under this bucket's policy (CDK's bucket-policy log delivery),
                // so no object ACL has anything left to grant.
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(
                        LifecycleRule.builder().expiration(Duration.days(90)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Nag.accept(
                accessLogs,
                "AwsSolutions-S1",
                "This bucket holds the archive's access logs; logging access to it would need yet another bucket.");

        bucket = Bucket.Builder.create(this, "Archive")
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("archive/")
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .transitions(List.of(
                                Transition.builder()
                                        .storageClass(StorageClass.INFREQUENT_ACCESS)
                                        .transitionAfter(Duration.days(30))
                                        .build(),
                                Transition.builder()
                                        .storageClass(StorageClass.GLACIER_INSTANT_RETRIEVAL)
                                        .transitionAfter(Duration.days(90))
                                        .build()))
                        .expiration(Duration.days(props.retentionDays()))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
                // An archive outlives a cdk destroy; docs/infra.md says how to remove it.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        var logGroup = LogGroup.Builder.create(this, "DeliveryLogs")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        var logStream = LogStream.Builder.create(this, "S3Delivery")
                .logGroup(logGroup)
                .logStreamName("S3Delivery")
                .build();

        // Exactly what Firehose needs: read the stream (and decrypt it, through Kinesis only), write the bucket, log.
        var role = Role.Builder.create(this, "DeliveryRole")
                .assumedBy(ServicePrincipal.Builder.create("firehose.amazonaws.com")
                        .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", getAccount())))
                        .build())
                .description("Kinesis Data Firehose: reads the clickstream, writes the archive bucket")
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of(
                        "kinesis:DescribeStream",
                        "kinesis:DescribeStreamSummary",
                        "kinesis:GetShardIterator",
                        "kinesis:GetRecords",
                        "kinesis:ListShards"))
                .resources(List.of(stream.getStreamArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kms:Decrypt"))
                .resources(List.of(props.messaging().key().getKeyArn()))
                .conditions(
                        Map.of("StringEquals", Map.of("kms:ViaService", "kinesis." + getRegion() + ".amazonaws.com")))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of(
                        "s3:AbortMultipartUpload",
                        "s3:GetBucketLocation",
                        "s3:GetObject",
                        "s3:ListBucket",
                        "s3:ListBucketMultipartUploads",
                        "s3:PutObject"))
                .resources(List.of(bucket.getBucketArn(), bucket.arnForObjects("*")))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:PutLogEvents"))
                .resources(List.of(logGroup.getLogGroupArn()))
                .build());
        Nag.acceptOnly(
                role,
                "AwsSolutions-IAM5",
                "Firehose writes objects under prefixes it names at delivery time (date partitions), "
                        + "so the object resource is the bucket's objects; the log group ARN from CDK ends in :*.",
                "/^Resource::<Archive[A-Za-z0-9]+\\.Arn>\\/\\*$/",
                "/^Resource::<DeliveryLogs[A-Za-z0-9]+\\.Arn>$/");

        deliveryStream = CfnDeliveryStream.Builder.create(this, "ClickstreamArchive")
                .deliveryStreamType("KinesisStreamAsSource")
                .kinesisStreamSourceConfiguration(CfnDeliveryStream.KinesisStreamSourceConfigurationProperty.builder()
                        .kinesisStreamArn(stream.getStreamArn())
                        .roleArn(role.getRoleArn())
                        .build())
                .extendedS3DestinationConfiguration(
                        CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty.builder()
                                .bucketArn(bucket.getBucketArn())
                                .roleArn(role.getRoleArn())
                                .prefix(PREFIX)
                                .errorOutputPrefix(ERROR_PREFIX)
                                .compressionFormat("GZIP")
                                .bufferingHints(CfnDeliveryStream.BufferingHintsProperty.builder()
                                        .intervalInSeconds(props.bufferingSeconds())
                                        .sizeInMBs(64)
                                        .build())
                                .cloudWatchLoggingOptions(CfnDeliveryStream.CloudWatchLoggingOptionsProperty.builder()
                                        .enabled(true)
                                        .logGroupName(logGroup.getLogGroupName())
                                        .logStreamName(logStream.getLogStreamName())
                                        .build())
                                .build())
                .build();
        // The role's policy must exist before Firehose validates its access to the stream.
        deliveryStream.getNode().addDependency(role);
        Nag.accept(
                deliveryStream,
                "AwsSolutions-KDF1",
                "A delivery stream reading a Kinesis stream cannot enable its own server-side "
                        + "encryption (that setting is for direct PUT); the records are encrypted in the stream (customer-managed KMS key) and in "
                        + "the bucket (SSE-S3), and cross only TLS.");
    }

    public Bucket bucket() {
        return bucket;
    }

    public CfnDeliveryStream deliveryStream() {
        return deliveryStream;
    }
}
