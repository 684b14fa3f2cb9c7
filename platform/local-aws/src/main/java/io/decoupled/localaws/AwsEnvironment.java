package io.decoupled.localaws;

import io.decoupled.topology.provision.ProvisionedTopology;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An AWS endpoint set with the topology provisioned on it: the embedded emulators or a LocalStack
 * container. Tests are written against this interface so that the same test runs on either.
 */
public interface AwsEnvironment extends AutoCloseable {

    String ACCESS_KEY = "test";
    String SECRET_KEY = "test";

    /** The endpoint of a service, or empty where this environment does not offer it. */
    Optional<URI> endpoint(AwsService service);

    Region region();

    /** The queue URLs, topic and stream ARNs as the endpoint reported them when it was provisioned. */
    ProvisionedTopology topology();

    /** A short name for logs and test names, such as {@code embedded} or {@code localstack}. */
    String name();

    /**
     * Whether Kinesis clients must speak JSON instead of CBOR (kinesalite's CBOR breaks the SDK v2).
     * Exposed as the SDK v2's standard setting: the {@code aws.cborEnabled} system property, or for a child
     * process the environment variable {@code CBOR_ENABLED=false} (the SDK v2 reads that name; {@code AWS_CBOR_DISABLE}
     * is the SDK v1's and is ignored by v2). Never as code in the services.
     */
    boolean kinesisNeedsJson();

    @Override
    void close();

    default URI requireEndpoint(AwsService service) {
        return endpoint(service).orElseThrow(() -> new IllegalStateException(name() + " does not offer " + service));
    }

    /** Environment variables for a child process (a service) to find these endpoints through the SDK. */
    default Map<String, String> environment() {
        var env = new LinkedHashMap<String, String>();
        env.put("AWS_REGION", region().id());
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        for (var service : AwsService.values()) {
            endpoint(service).ifPresent(uri -> env.put(service.environmentVariable(), uri.toString()));
        }
        if (kinesisNeedsJson()) {
            env.put("CBOR_ENABLED", "false");
        }
        if (endpoint(AwsService.S3).isPresent()) {
            // A local endpoint has no per-bucket host names: buckets are addressed by path (Spring Cloud AWS's
            // standard setting, read by the services' S3 clients).
            env.put("SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCESS_ENABLED", "true");
        }
        return env;
    }

    /** Spring properties that point Spring Cloud AWS (and an in-process SDK) at these endpoints. */
    default Map<String, String> springProperties() {
        var props = new LinkedHashMap<String, String>();
        props.put("spring.cloud.aws.region.static", region().id());
        props.put("spring.cloud.aws.credentials.access-key", ACCESS_KEY);
        props.put("spring.cloud.aws.credentials.secret-key", SECRET_KEY);
        for (var service : AwsService.values()) {
            endpoint(service).ifPresent(uri -> props.put(service.springProperty(), uri.toString()));
        }
        if (endpoint(AwsService.S3).isPresent()) {
            props.put("spring.cloud.aws.s3.path-style-access-enabled", "true");
        }
        return props;
    }

    default SqsClient sqs() {
        return configure(SqsClient.builder(), AwsService.SQS).build();
    }

    default SnsClient sns() {
        return configure(SnsClient.builder(), AwsService.SNS).build();
    }

    default KinesisClient kinesis() {
        return configure(KinesisClient.builder(), AwsService.KINESIS).build();
    }

    /** Path-style, as a local endpoint needs: no per-bucket host names. */
    default S3Client s3() {
        return configure(S3Client.builder(), AwsService.S3).forcePathStyle(true).build();
    }

    default DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder(), AwsService.DYNAMODB).build();
    }

    /** Points any SDK v2 client builder (sync or async) at this environment. */
    default <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsService service) {
        return builder.endpointOverride(requireEndpoint(service))
                .region(region())
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    }
}
