package io.decoupled.infra;

import static io.decoupled.infra.TemplateJson.properties;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;

/**
 * The KCL in AWS: polling by default; with {@code -c enhancedFanOut=true}, a registered consumer, its permissions and
 * its settings; and the lease table it creates protected.
 */
class EnhancedFanOutTest {

    @Test
    void byDefaultAnalyticsPollsAndNoConsumerIsRegistered() {
        var synthesized = SynthesizedSystem.defaults();
        var json = new TemplateJson(synthesized);
        var compute = synthesized.system().compute();
        assertThat(json.resources(compute, "AWS::Kinesis::StreamConsumer")).isEmpty();
        assertThat(String.valueOf(analyticsContainer(json, compute).get("Environment")))
                .doesNotContain("ANALYTICS_KCL_RETRIEVAL");
        assertThat(String.valueOf(json.template(compute))).doesNotContain("kinesis:SubscribeToShard");
    }

    @Test
    void theLeaseTableTheKclCreatesIsProtectedFromDeletionAndRecoverable() {
        var synthesized = SynthesizedSystem.defaults();
        var json = new TemplateJson(synthesized);
        var compute = synthesized.system().compute();
        List<Object> environment =
                TemplateJson.list(analyticsContainer(json, compute).get("Environment"));
        assertThat(environment)
                .contains(Map.<String, Object>of("Name", "ANALYTICS_KCL_LEASE_TABLE_PROTECTION", "Value", "true"));
        // PITR is switched on by the KCL itself, so its role may (TaskRolePolicyTest holds the whole grant).
        assertThat(String.valueOf(json.template(compute))).contains("dynamodb:UpdateContinuousBackups");
    }

    @Test
    void withEnhancedFanOutTheConsumerIsRegisteredAndAnalyticsMaySubscribeToItAndIsToldTo() {
        var synthesized = SynthesizedSystem.variant();
        var json = new TemplateJson(synthesized);
        var compute = synthesized.system().compute();

        var consumers = json.resources(compute, "AWS::Kinesis::StreamConsumer");
        assertThat(consumers).hasSize(1);
        var consumerId = consumers.keySet().iterator().next();
        var consumer = properties(consumers.get(consumerId));
        assertThat(consumer).containsEntry("ConsumerName", "analytics-clickstream");
        assertThat(json.describe(consumer.get("StreamARN"))).isEqualTo("kinesis:clickstream");
        var consumerArn = Map.of("Fn::GetAtt", List.of(consumerId, "ConsumerARN"));

        List<Object> environment =
                TemplateJson.list(analyticsContainer(json, compute).get("Environment"));
        assertThat(environment)
                .contains(
                        Map.<String, Object>of("Name", "ANALYTICS_KCL_RETRIEVAL", "Value", "FAN_OUT"),
                        Map.<String, Object>of("Name", "ANALYTICS_KCL_CONSUMER_ARN", "Value", consumerArn));

        var roleId = compute.getLogicalId(
                (CfnElement) compute.taskRoleOf(Service.ANALYTICS).getNode().getDefaultChild());
        var statements = json.resources(compute, "AWS::IAM::Policy").values().stream()
                .filter(p -> TemplateJson.list(properties(p).get("Roles")).contains(Map.of("Ref", roleId)))
                .flatMap(p -> statements(p).stream())
                .toList();
        assertThat(statements)
                .filteredOn(s -> "SubscribeToClickstreamShards".equals(s.get("Sid")))
                .singleElement()
                .satisfies(s -> {
                    assertThat(TemplateJson.list(s.get("Action")))
                            .containsExactlyInAnyOrder("kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer");
                    assertThat(s.get("Resource")).isEqualTo(consumerArn);
                });
        // Registered by CloudFormation: the task never registers or deregisters consumers itself.
        assertThat(String.valueOf(json.template(compute)))
                .doesNotContain("RegisterStreamConsumer", "DeregisterStreamConsumer");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> analyticsContainer(TemplateJson json, Stack compute) {
        var definition = json.resources(compute, "AWS::ECS::TaskDefinition").values().stream()
                .map(TemplateJson::properties)
                .filter(d -> "analytics-service".equals(d.get("Family")))
                .findFirst()
                .orElseThrow();
        return (Map<String, Object>) ((List<Object>) definition.get("ContainerDefinitions")).getFirst();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Map<String, Object> policy) {
        return (List<Map<String, Object>>)
                ((Map<String, Object>) properties(policy).get("PolicyDocument")).get("Statement");
    }
}
