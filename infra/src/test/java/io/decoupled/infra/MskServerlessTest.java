package io.decoupled.infra;

import static io.decoupled.infra.TemplateJson.list;
import static io.decoupled.infra.TemplateJson.properties;
import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.infra.compute.ComputeStack;
import io.decoupled.infra.kafka.ClickstreamKafkaStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;

/**
 * {@code -c clickstream=kafka}: MSK Serverless with IAM authentication instead of the Kinesis stream, reachable only
 * from the two services' tasks, each allowed exactly its Kafka actions, and both told to use it.
 */
class MskServerlessTest {

    private final SynthesizedSystem synthesized = SynthesizedSystem.kafka();
    private final TemplateJson json = new TemplateJson(synthesized);
    private final DecoupledSystem system = synthesized.system();
    private final ClickstreamKafkaStack kafka = system.kafka().orElseThrow();

    @Test
    void byDefaultThereIsNoKafkaClusterAndTheClickstreamIsTheKinesisStream() {
        var defaults = SynthesizedSystem.defaults();
        assertThat(defaults.system().kafka()).isEmpty();
        assertThat(defaults.system().stacks())
                .noneMatch(
                        s -> new TemplateJson(defaults).template(s).toString().contains("AWS::MSK::"));
        defaults.template(defaults.system().messaging()).resourceCountIs("AWS::Kinesis::Stream", 1);
    }

    @Test
    void theClusterIsServerlessWithIamAuthenticationInThePrivateSubnetsBehindItsOwnSecurityGroup() {
        var clusters = json.resources(kafka, "AWS::MSK::ServerlessCluster");
        assertThat(clusters).hasSize(1);
        var cluster = properties(clusters.values().iterator().next());
        assertThat(cluster)
                .containsEntry("ClusterName", "decoupled-clickstream")
                .containsEntry("ClientAuthentication", Map.of("Sasl", Map.of("Iam", Map.of("Enabled", true))));
        @SuppressWarnings("unchecked")
        var vpcConfig = (Map<String, Object>) list(cluster.get("VpcConfigs")).getFirst();
        // The app subnets (PRIVATE_WITH_EGRESS, where the tasks run) of the system's VPC: one per zone.
        var subnets = list(vpcConfig.get("SubnetIds"));
        assertThat(subnets)
                .hasSize(2)
                .allSatisfy(s -> assertThat(String.valueOf(s)).contains("appSubnet"));
        var securityGroupId =
                kafka.getLogicalId((CfnElement) kafka.securityGroup().getNode().getDefaultChild());
        assertThat(list(vpcConfig.get("SecurityGroups")))
                .containsExactly(Map.of("Fn::GetAtt", List.of(securityGroupId, "GroupId")));
    }

    @Test
    void onlyTheTasksOfClickIngestAndAnalyticsReachTheClusterAndOnlyOnTheIamPort() {
        var groups = json.resources(kafka, "AWS::EC2::SecurityGroup");
        assertThat(groups).hasSize(1);
        var group = properties(groups.values().iterator().next());
        // No CIDR ingress, and no egress at all (CDK's "disallow all" placeholder rule only).
        assertThat(String.valueOf(group)).doesNotContain("CidrIp\":\"0.0.0.0/0", "0.0.0.0/0\", IpProtocol=-1");
        assertThat(list(group.get("SecurityGroupEgress")))
                .singleElement()
                .satisfies(rule -> assertThat(String.valueOf(rule)).contains("255.255.255.255/32"));
        var ingress = new ArrayList<String>();
        json.resources(kafka, "AWS::EC2::SecurityGroupIngress").values().forEach(r -> {
            var p = properties(r);
            assertThat(p)
                    .containsEntry("FromPort", 9098)
                    .containsEntry("ToPort", 9098)
                    .containsEntry("IpProtocol", "tcp");
            ingress.add(String.valueOf(p.get("SourceSecurityGroupId")));
        });
        assertThat(String.valueOf(group.get("SecurityGroupIngress"))).isEqualTo("null");
        assertThat(ingress).hasSize(2);
        assertThat(ingress)
                .anySatisfy(s -> assertThat(s).contains("ClickIngestTasks"))
                .anySatisfy(s -> assertThat(s).contains("AnalyticsTasks"));
    }

    @Test
    void clickIngestMayConnectAndWriteTheClickstreamTopicAndNothingElseOfKafka() {
        var grants = kafkaGrants(Service.CLICK_INGEST);
        assertThat(grants)
                .containsOnlyKeys(
                        "kafka-cluster:Connect",
                        "kafka-cluster:WriteDataIdempotently",
                        "kafka-cluster:DescribeTopic",
                        "kafka-cluster:WriteData",
                        "kafka-cluster:CreateTopic");
        assertThat(grants.get("kafka-cluster:Connect"))
                .isEqualTo("cluster")
                .isEqualTo(grants.get("kafka-cluster:WriteDataIdempotently"));
        assertThat(List.of(
                        grants.get("kafka-cluster:DescribeTopic"),
                        grants.get("kafka-cluster:WriteData"),
                        grants.get("kafka-cluster:CreateTopic")))
                .containsOnly("topic/<name>/<uuid>/clickstream");
        assertThat(String.valueOf(policy(Service.CLICK_INGEST))).doesNotContain("kinesis:", "kms:");
    }

    @Test
    void analyticsMayConnectReadTheTopicAndUseItsOwnGroupAndNothingElseOfKafkaNorTheKcl() {
        var grants = kafkaGrants(Service.ANALYTICS);
        assertThat(grants)
                .containsOnlyKeys(
                        "kafka-cluster:Connect",
                        "kafka-cluster:DescribeTopic",
                        "kafka-cluster:ReadData",
                        "kafka-cluster:DescribeGroup",
                        "kafka-cluster:AlterGroup");
        assertThat(grants.get("kafka-cluster:Connect")).isEqualTo("cluster");
        assertThat(List.of(grants.get("kafka-cluster:DescribeTopic"), grants.get("kafka-cluster:ReadData")))
                .containsOnly("topic/<name>/<uuid>/clickstream");
        assertThat(List.of(grants.get("kafka-cluster:DescribeGroup"), grants.get("kafka-cluster:AlterGroup")))
                .containsOnly("group/<name>/<uuid>/analytics-clickstream");
        assertThat(String.valueOf(policy(Service.ANALYTICS)))
                .doesNotContain("kinesis:", "dynamodb:", "cloudwatch:PutMetricData")
                .contains("sqs:ReceiveMessage");
    }

    @Test
    void bothServicesAreToldToUseKafkaWithIamAuthenticationAtTheBootstrapServersReadAtDeployTime() {
        var clickIngest = environment("click-ingest-service");
        var analytics = environment("analytics-service");
        assertThat(clickIngest)
                .containsEntry("CLICKSTREAM_BACKEND", "kafka")
                .containsEntry("CLICKSTREAM_KAFKA_MSK_IAM", "true")
                .doesNotContainKey("CLICKSTREAM_PRODUCER_STREAM");
        assertThat(analytics)
                .containsEntry("ANALYTICS_CLICKSTREAM_BACKEND", "kafka")
                .containsEntry("ANALYTICS_CLICKSTREAM_KAFKA_MSK_IAM", "true")
                .containsEntry("ANALYTICS_CLICKSTREAM_KAFKA_GROUP_ID", "analytics-clickstream")
                .doesNotContainKeys("ANALYTICS_KCL_STREAM", "ANALYTICS_KCL_APPLICATION_NAME");
        // The custom resource's GetBootstrapBrokers answer, exported by the Kafka stack.
        for (var env : List.of(clickIngest, analytics)) {
            assertThat(String.valueOf(env.get("SPRING_KAFKA_BOOTSTRAP_SERVERS")))
                    .contains("Decoupled-Kafka")
                    .contains("BootstrapBrokerStringSaslIam");
        }
        var lookups = json.resources(kafka, "Custom::AWS");
        assertThat(lookups).hasSize(1);
        var lookup = String.valueOf(properties(lookups.values().iterator().next()));
        assertThat(lookup).contains("getBootstrapBrokers", "Kafka");
        assertThat(json.template(kafka).get("Outputs").toString()).contains("BootstrapBrokerStringSaslIam");
        // The lookup may read this cluster's brokers and nothing else.
        var lookupGrants = json.resources(kafka, "AWS::IAM::Policy").values().stream()
                .flatMap(p -> statements(p).stream())
                .toList();
        assertThat(lookupGrants).singleElement().satisfies(s -> {
            assertThat(list(s.get("Action"))).containsExactly("kafka:GetBootstrapBrokers");
            assertThat(list(s.get("Resource"))).containsExactly(Map.of("Fn::GetAtt", List.of(clusterId(), "Arn")));
        });
    }

    @Test
    void theKinesisStreamAndEverythingReadingItAreNotDeployed() {
        assertThat(system.archive()).isEmpty();
        synthesized.template(system.messaging()).resourceCountIs("AWS::Kinesis::Stream", 0);
        assertThat(json.template(system.observability()).toString())
                .doesNotContain("GetRecords.IteratorAgeMilliseconds");
        assertThat(system.stacks())
                .extracting(Stack::getStackName)
                .containsExactly(
                        "Decoupled-Network",
                        "Decoupled-Messaging",
                        "Decoupled-Data",
                        "Decoupled-Kafka",
                        "Decoupled-Compute",
                        "Decoupled-Scaling",
                        "Decoupled-Observability");
    }

    @Test
    void aConsumerGroupFallingBehindAlarmsAsTheKinesisIteratorAgeDoesAndSilenceCountsAsBehind() {
        var lagAlarms = json.resources(system.observability(), "AWS::CloudWatch::Alarm").values().stream()
                .map(TemplateJson::properties)
                .filter(a -> "EstimatedMaxTimeLag".equals(a.get("MetricName")))
                .toList();
        assertThat(lagAlarms).singleElement().satisfies(alarm -> {
            assertThat(alarm)
                    .containsEntry("Namespace", "AWS/Kafka")
                    .containsEntry("Threshold", 60)
                    .containsEntry("Statistic", "Maximum")
                    .containsEntry("EvaluationPeriods", 5)
                    .containsEntry("DatapointsToAlarm", 3)
                    .containsEntry("TreatMissingData", "breaching");
            assertThat(list(alarm.get("Dimensions")))
                    .containsExactlyInAnyOrder(
                            Map.of("Name", "Cluster Name", "Value", "decoupled-clickstream"),
                            Map.of("Name", "Consumer Group", "Value", "analytics-clickstream"),
                            Map.of("Name", "Topic", "Value", "clickstream"));
        });
        var defaults = SynthesizedSystem.defaults();
        assertThat(new TemplateJson(defaults)
                        .template(defaults.system().observability())
                        .toString())
                .doesNotContain("AWS/Kafka");
    }

    @Test
    void cdkNagFindsNothingUnsuppressedAndEverySuppressionHasAReason() {
        var findings = new ArrayList<String>();
        for (var stack : synthesized.assembly().getStacks()) {
            stack.getMessages().stream()
                    // the one warning a deployment without a certificate must show (SecurityDefaultsTest pins it)
                    .filter(m -> !String.valueOf(m.getEntry().getData()).contains(ComputeStack.NO_CERTIFICATE_WARNING))
                    .forEach(m -> findings.add(m.getLevel() + " " + stack.getStackName() + m.getId() + " "
                            + m.getEntry().getData()));
        }
        assertThat(findings).isEmpty();
        var suppressed = new TreeSet<String>();
        @SuppressWarnings("unchecked")
        var resources = (Map<String, Map<String, Object>>) json.template(kafka).get("Resources");
        resources
                .values()
                .forEach(resource -> CdkNagTest.rules(resource).forEach(rule -> {
                    assertThat(String.valueOf(rule.get("reason")))
                            .as(String.valueOf(rule.get("id")))
                            .hasSizeGreaterThan(60);
                    suppressed.add(String.valueOf(rule.get("id")));
                }));
        assertThat(suppressed).containsExactly("AwsSolutions-IAM4");
    }

    /** Kafka action to the kind of resource it is granted on, with the cluster's name and uuid abstracted. */
    private Map<String, String> kafkaGrants(Service service) {
        var grants = new TreeMap<String, String>();
        for (var statement : statements(policy(service))) {
            for (var action : list(statement.get("Action"))) {
                if (String.valueOf(action).startsWith("kafka")) {
                    var resources = list(statement.get("Resource"));
                    assertThat(resources).as(String.valueOf(action)).hasSize(1);
                    assertThat(grants.put((String) action, kind(resources.getFirst())))
                            .as("granted twice: " + action)
                            .isNull();
                }
            }
        }
        return grants;
    }

    /** "cluster" for the cluster's own ARN; "topic/<name>/<uuid>/x" or "group/…" for an ARN derived from it. */
    @SuppressWarnings("unchecked")
    private String kind(Object resource) {
        var text = String.valueOf(resource);
        assertThat(text).doesNotContain("*");
        if (resource instanceof Map<?, ?> map && map.containsKey("Fn::Join")) {
            var parts = (List<Object>) ((List<Object>) map.get("Fn::Join")).get(1);
            assertThat(parts).hasSize(11);
            assertThat(parts.subList(0, 6))
                    .containsExactly(
                            "arn:",
                            Map.of("Ref", "AWS::Partition"),
                            ":kafka:",
                            Map.of("Ref", "AWS::Region"),
                            ":",
                            Map.of("Ref", "AWS::AccountId"));
            assertThat(String.valueOf(parts.get(7))).contains("Fn::Select=[1").contains("ClusterArn");
            assertThat(parts.get(8)).isEqualTo("/");
            assertThat(String.valueOf(parts.get(9))).contains("Fn::Select=[2").contains("ClusterArn");
            return String.valueOf(parts.get(6)).substring(1) + "<name>/<uuid>" + parts.get(10);
        }
        assertThat(text).contains("ClusterArn");
        return "cluster";
    }

    private Map<String, Object> policy(Service service) {
        var compute = system.compute();
        var roleId = compute.getLogicalId(
                (CfnElement) compute.taskRoleOf(service).getNode().getDefaultChild());
        var policies = json.resources(compute, "AWS::IAM::Policy").values().stream()
                .filter(p -> list(properties(p).get("Roles")).contains(Map.of("Ref", roleId)))
                .toList();
        assertThat(policies).hasSize(1);
        return policies.getFirst();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Map<String, Object> policy) {
        return (List<Map<String, Object>>)
                ((Map<String, Object>) properties(policy).get("PolicyDocument")).get("Statement");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> environment(String family) {
        var definition = json.resources(system.compute(), "AWS::ECS::TaskDefinition").values().stream()
                .map(TemplateJson::properties)
                .filter(d -> family.equals(d.get("Family")))
                .findFirst()
                .orElseThrow();
        var container = (Map<String, Object>) ((List<Object>) definition.get("ContainerDefinitions")).getFirst();
        var env = new TreeMap<String, Object>();
        for (var entry : list(container.get("Environment"))) {
            var e = (Map<String, Object>) entry;
            env.put((String) e.get("Name"), e.get("Value"));
        }
        return env;
    }

    private String clusterId() {
        return kafka.getLogicalId(kafka.cluster());
    }
}
