package io.decoupled.infra.kafka;

import io.decoupled.infra.Nag;
import io.decoupled.infra.Service;
import io.decoupled.infra.network.NetworkStack;
import io.decoupled.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.msk.CfnServerlessCluster;
import software.constructs.Construct;

/**
 * The clickstream's broker when it runs on Kafka: an MSK Serverless cluster (no brokers to size, IAM authentication
 * only: SASL/AWS_MSK_IAM on port 9098) in the private subnets of the system's VPC. Its security group admits port 9098
 * from the tasks of click-ingest-service and analytics-service and from nothing else. MSK Serverless exposes its
 * bootstrap servers only through the {@code GetBootstrapBrokers} API, not as a CloudFormation attribute, so a custom
 * resource reads them once at deploy time (the one Lambda of the app, allowed that call on this cluster only).
 *
 * <p>The IAM resources a task role is granted on ({@link #clusterArn()}, {@link #topicArn(String)},
 * {@link #groupArn(String)}) are derived from the cluster's ARN ({@code cluster/<name>/<uuid>}), as MSK names them.
 */
public class ClickstreamKafkaStack extends Stack {

    /** MSK's port for IAM-authenticated clients (SASL_SSL). */
    public static final int IAM_PORT = 9098;

    public static final String CLUSTER_NAME = "decoupled-clickstream";
    /** The services that reach the cluster; each has its own security group and task role. */
    public static final List<Service> CLIENTS = List.of(Service.CLICK_INGEST, Service.ANALYTICS);

    /** @param network the VPC (private subnets) and the task security groups of the clients */
    public record Props(NetworkStack network) {
        public Props {
            Objects.requireNonNull(network, "network");
        }
    }

    private final CfnServerlessCluster cluster;
    private final SecurityGroup securityGroup;
    private final String bootstrapServers;

    public ClickstreamKafkaStack(Construct scope, String id, StackProps stackProps, Props props) {
        super(scope, id, stackProps);
        var network = props.network();

        securityGroup = SecurityGroup.Builder.create(this, "ClusterSecurityGroup")
                .vpc(network.vpc())
                .description(
                        "MSK Serverless " + CLUSTER_NAME + ": IAM-authenticated Kafka clients of the clickstream only")
                // The cluster answers; it never opens connections of its own.
                .allowAllOutbound(false)
                .build();
        for (var client : CLIENTS) {
            securityGroup.addIngressRule(
                    network.securityGroupOf(client),
                    Port.tcp(IAM_PORT),
                    "Kafka (SASL_SSL, IAM) from " + client.module());
        }

        var subnets = network.vpc()
                .selectSubnets(SubnetSelection.builder()
                        .subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                        .build());
        cluster = CfnServerlessCluster.Builder.create(this, "Cluster")
                .clusterName(CLUSTER_NAME)
                .clientAuthentication(CfnServerlessCluster.ClientAuthenticationProperty.builder()
                        .sasl(CfnServerlessCluster.SaslProperty.builder()
                                .iam(CfnServerlessCluster.IamProperty.builder()
                                        .enabled(true)
                                        .build())
                                .build())
                        .build())
                .vpcConfigs(List.of(CfnServerlessCluster.VpcConfigProperty.builder()
                        .subnetIds(subnets.getSubnetIds())
                        .securityGroups(List.of(securityGroup.getSecurityGroupId()))
                        .build()))
                .build();
        Nag.acknowledgeCrossStackSubnets(cluster);

        var getBootstrapBrokers = AwsSdkCall.builder()
                .service("Kafka")
                .action("getBootstrapBrokers")
                .parameters(Map.of("ClusterArn", cluster.getAttrArn()))
                // A new cluster (a new ARN) reads its brokers again.
                .physicalResourceId(PhysicalResourceId.of(cluster.getAttrArn()))
                .build();
        var brokers = AwsCustomResource.Builder.create(this, "BootstrapBrokers")
                .onCreate(getBootstrapBrokers)
                .onUpdate(getBootstrapBrokers)
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(PolicyStatement.Builder.create()
                        .effect(Effect.ALLOW)
                        .actions(List.of("kafka:GetBootstrapBrokers"))
                        .resources(List.of(cluster.getAttrArn()))
                        .build())))
                // The SDK in the Lambda runtime is enough for one read call; no download at deploy time.
                .installLatestAwsSdk(false)
                // Its logs kept a month and removed with the stack, like every other log group of the app (CDK's own
                // group for this Lambda would keep them two years and outlive cdk destroy).
                .logGroup(LogGroup.Builder.create(this, "BootstrapBrokersLogs")
                        .retention(RetentionDays.ONE_MONTH)
                        .removalPolicy(RemovalPolicy.DESTROY)
                        .build())
                .build();
        bootstrapServers = brokers.getResponseField("BootstrapBrokerStringSaslIam");
        // CDK's singleton Lambda behind every AwsCustomResource of a stack (a fixed construct id).
        Nag.acceptOnly(
                getNode().findChild("AWS679f53fac002430cb0da5b7982bd2287"),
                "AwsSolutions-IAM4",
                "CDK's provider Lambda of the "
                        + "bootstrap-broker lookup runs only during deployments; AWSLambdaBasicExecutionRole lets it write its own logs and "
                        + "nothing else. Its one other permission is kafka:GetBootstrapBrokers on this cluster.",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");

        CfnOutput.Builder.create(this, "BootstrapServers")
                .description(
                        "Kafka bootstrap servers of the clickstream (SASL_SSL, AWS_MSK_IAM; reachable from inside the VPC only)")
                .value(bootstrapServers)
                .build();
        CfnOutput.Builder.create(this, "ClusterArn").value(cluster.getAttrArn()).build();
    }

    /** Host:port list for {@code spring.kafka.bootstrap-servers}, resolved at deploy time. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public CfnServerlessCluster cluster() {
        return cluster;
    }

    public SecurityGroup securityGroup() {
        return securityGroup;
    }

    /** {@code arn:…:kafka:<region>:<account>:cluster/<name>/<uuid>}: what {@code kafka-cluster:Connect} is granted on. */
    public String clusterArn() {
        return cluster.getAttrArn();
    }

    /** {@code arn:…:kafka:<region>:<account>:topic/<cluster name>/<cluster uuid>/<topic>}. */
    public String topicArn(String topic) {
        return resourceArn("topic", topic);
    }

    /** {@code arn:…:kafka:<region>:<account>:group/<cluster name>/<cluster uuid>/<group id>}. */
    public String groupArn(String groupId) {
        return resourceArn("group", groupId);
    }

    /**
     * How far the consumer group is behind the topic's newest record, in seconds (MSK's {@code EstimatedMaxTimeLag},
     * maximum over partitions): the counterpart of a Kinesis consumer's iterator age.
     */
    public Metric consumerTimeLag(String groupId) {
        return Metric.Builder.create()
                .namespace("AWS/Kafka")
                .metricName("EstimatedMaxTimeLag")
                // Sorted: Map.of's order changes from one JVM to the next, and the template (and `cdk diff`) with it.
                .dimensionsMap(new TreeMap<>(
                        Map.of("Cluster Name", CLUSTER_NAME, "Consumer Group", groupId, "Topic", Topology.CLICKSTREAM)))
                .statistic("Maximum")
                .period(Duration.minutes(1))
                .build();
    }

    /** Records written to the clickstream topic per second (MSK's {@code MessagesInPerSec}). */
    public Metric messagesIn() {
        return Metric.Builder.create()
                .namespace("AWS/Kafka")
                .metricName("MessagesInPerSec")
                .dimensionsMap(new TreeMap<>(Map.of("Cluster Name", CLUSTER_NAME, "Topic", Topology.CLICKSTREAM)))
                .statistic("Average")
                .period(Duration.minutes(1))
                .build();
    }

    /** The clickstream topic's ARN. */
    public String clickstreamTopicArn() {
        return topicArn(Topology.CLICKSTREAM);
    }

    private String resourceArn(String type, String name) {
        var parts = Fn.split("/", cluster.getAttrArn());
        return Fn.join(
                "",
                List.of(
                        "arn:",
                        Aws.PARTITION,
                        ":kafka:",
                        Aws.REGION,
                        ":",
                        Aws.ACCOUNT_ID,
                        ":",
                        type,
                        "/",
                        Fn.select(1, parts),
                        "/",
                        Fn.select(2, parts),
                        "/",
                        name));
    }
}
