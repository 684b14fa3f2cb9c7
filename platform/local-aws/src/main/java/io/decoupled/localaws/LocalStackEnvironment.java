package io.decoupled.localaws;

import io.decoupled.topology.Topology;
import io.decoupled.topology.provision.PayloadBucket;
import io.decoupled.topology.provision.ProvisionedTopology;
import io.decoupled.topology.provision.TopologyProvisioner;
import java.net.URI;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.regions.Region;

/**
 * The same topology on a pinned LocalStack image in Testcontainers, for machines with Docker. The image
 * comes from the build ({@code localaws.localstack.image}), where it is pinned once for the tests and
 * checked against docker-compose.yml.
 */
public final class LocalStackEnvironment implements AwsEnvironment {
    /** Used when the build did not pass the image (an IDE run); keep equal to the root pom. */
    static final String DEFAULT_IMAGE = "localstack/localstack:4.14.0";

    private final LocalStackContainer container;
    private final ProvisionedTopology topology;

    private LocalStackEnvironment(LocalStackContainer container, ProvisionedTopology topology) {
        this.container = container;
        this.topology = topology;
    }

    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    public static LocalStackEnvironment start(Topology topology) {
        var image = System.getProperty("localaws.localstack.image", DEFAULT_IMAGE);
        var container = new LocalStackContainer(
                        DockerImageName.parse(image).asCompatibleSubstituteFor("localstack/localstack"))
                .withServices("sqs", "sns", "s3", "kinesis", "dynamodb");
        container.start();
        var partial = new LocalStackEnvironment(container, null);
        try (var sqs = partial.sqs();
                var sns = partial.sns();
                var kinesis = partial.kinesis()) {
            var report = new TopologyProvisioner(sqs, sns, kinesis).provision(topology);
            try (var s3 = partial.s3()) {
                PayloadBucket.ensure(s3, Topology.LOCAL_PAYLOAD_BUCKET);
            }
            return new LocalStackEnvironment(container, report.resources());
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
    }

    @Override
    public Optional<URI> endpoint(AwsService service) {
        return service == AwsService.CLOUDWATCH ? Optional.empty() : Optional.of(container.getEndpoint());
    }

    @Override
    public Region region() {
        return Region.of(container.getRegion());
    }

    @Override
    public ProvisionedTopology topology() {
        return topology;
    }

    @Override
    public String name() {
        return "localstack";
    }

    @Override
    public boolean kinesisNeedsJson() {
        return false;
    }

    @Override
    public void close() {
        container.stop();
    }
}
