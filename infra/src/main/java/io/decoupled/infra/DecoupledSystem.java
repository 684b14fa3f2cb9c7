package io.decoupled.infra;

import io.decoupled.infra.archive.ClickstreamArchiveStack;
import io.decoupled.infra.compute.ComputeStack;
import io.decoupled.infra.compute.ServiceImages;
import io.decoupled.infra.data.DataStack;
import io.decoupled.infra.kafka.ClickstreamKafkaStack;
import io.decoupled.infra.messaging.MessagingStack;
import io.decoupled.infra.network.NetworkStack;
import io.decoupled.infra.observability.ObservabilityStack;
import io.decoupled.infra.scaling.AcceptableBacklogPerTask;
import io.decoupled.infra.scaling.ScalingStack;
import io.decoupled.topology.Topology;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.kinesis.StreamMode;

/**
 * The whole system as seven stacks, in dependency order: network, messaging, data, compute, scaling,
 * observability, and the clickstream archive (which needs only messaging). With {@code -c clickstream=kafka} the
 * clickstream runs on an MSK Serverless cluster (stack {@code Decoupled-Kafka}, before compute) instead of the Kinesis
 * stream, and the archive, which reads the stream, is not deployed. {@link DecoupledApp} deploys it; the tests
 * synthesize the very same thing.
 */
public record DecoupledSystem(
        NetworkStack network,
        MessagingStack messaging,
        DataStack data,
        ComputeStack compute,
        ScalingStack scaling,
        ObservabilityStack observability,
        Optional<ClickstreamArchiveStack> archive,
        Optional<ClickstreamKafkaStack> kafka) {

    public static final String PREFIX = "Decoupled";

    /** Every stack of this deployment, in dependency order. */
    public List<Stack> stacks() {
        var stacks = new ArrayList<Stack>(List.of(network, messaging, data));
        kafka.ifPresent(stacks::add);
        stacks.addAll(List.of(compute, scaling, observability));
        archive.ifPresent(stacks::add);
        return List.copyOf(stacks);
    }

    public static DecoupledSystem create(App app, DeploymentSettings settings, ServiceImages images) {
        // The region is fixed, the account is not: the templates stay account-agnostic, so synth needs no
        // credentials and no lookups (availability zones come from Fn::GetAZs at deploy time).
        var stackProps = StackProps.builder()
                .env(Environment.builder().region(settings.region()).build())
                .build();
        var topology = Topology.reference();

        boolean onKafka = settings.clickstream() == DeploymentSettings.ClickstreamBroker.KAFKA;

        var network = new NetworkStack(app, PREFIX + "-Network", stackProps);
        var messaging = new MessagingStack(
                app,
                PREFIX + "-Messaging",
                stackProps,
                new MessagingStack.Props(topology, StreamMode.PROVISIONED, !onKafka));
        var kafka = onKafka
                ? Optional.of(new ClickstreamKafkaStack(
                        app, PREFIX + "-Kafka", stackProps, new ClickstreamKafkaStack.Props(network)))
                : Optional.<ClickstreamKafkaStack>empty();
        var data = new DataStack(app, PREFIX + "-Data", stackProps, new DataStack.Props(network, settings.keepData()));
        var compute = new ComputeStack(
                app,
                PREFIX + "-Compute",
                stackProps,
                new ComputeStack.Props(
                        network,
                        data,
                        messaging,
                        images,
                        settings.ingressCidr().map(Peer::ipv4).orElse(Peer.anyIpv4()),
                        List.of(Service.SHIPPING),
                        settings.workersPerTask(),
                        settings.certificateArn(),
                        settings.enhancedFanOut(),
                        settings.apiAuthentication(),
                        kafka));
        var scaling = new ScalingStack(
                app,
                PREFIX + "-Scaling",
                stackProps,
                new ScalingStack.Props(
                        compute,
                        messaging,
                        Service.SHIPPING,
                        Topology.SHIPPING_ORDERS,
                        settings.shippingMinTasks(),
                        settings.shippingMaxTasks(),
                        new AcceptableBacklogPerTask(
                                settings.acceptableLatency(),
                                settings.averageProcessingTime(),
                                settings.workersPerTask()),
                        Duration.ofSeconds(60),
                        Duration.ofMinutes(5)));
        var observability = new ObservabilityStack(
                app,
                PREFIX + "-Observability",
                stackProps,
                new ObservabilityStack.Props(
                        messaging,
                        compute,
                        scaling,
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(1),
                        settings.alarmEmail(),
                        kafka));

        // Firehose reads a Kinesis stream; on Kafka the archive would be an MSK Connect S3 sink, which is not built
        // here.
        var archive = onKafka
                ? Optional.<ClickstreamArchiveStack>empty()
                : Optional.of(new ClickstreamArchiveStack(
                        app,
                        PREFIX + "-Archive",
                        stackProps,
                        new ClickstreamArchiveStack.Props(messaging, Topology.CLICKSTREAM, 400, 300)));

        Tags.of(app).add("project", "decoupled-aws-messaging");
        var system = new DecoupledSystem(network, messaging, data, compute, scaling, observability, archive, kafka);
        // cdk-nag's AWS Solutions pack runs on every synth: an unsuppressed finding is a synth error.
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        return system;
    }
}
