package io.decoupled.infra;

import static io.decoupled.infra.TemplateJson.properties;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

class ScalingStackTest {

    private final SynthesizedSystem synthesized = SynthesizedSystem.defaults();
    private final TemplateJson json = new TemplateJson(synthesized);

    @Test
    void shippingTaskCountTracksVisibleMessagesPerRunningTaskAtTheDerivedTarget() {
        var scaling = synthesized.system().scaling();
        var policies = json.resources(scaling, "AWS::ApplicationAutoScaling::ScalingPolicy");
        assertThat(policies)
                .as("target tracking only; no step policy when the minimum is 1")
                .hasSize(1);
        var policy = properties(policies.values().iterator().next());
        assertThat(policy).containsEntry("PolicyType", "TargetTrackingScaling");

        @SuppressWarnings("unchecked")
        var configuration = (Map<String, Object>) policy.get("TargetTrackingScalingPolicyConfiguration");
        // defaults: 10 s acceptable latency / 200 ms per order * 4 workers per task
        assertThat(configuration).containsEntry("TargetValue", 200);
        @SuppressWarnings("unchecked")
        var queries = (List<Map<String, Object>>)
                ((Map<String, Object>) configuration.get("CustomizedMetricSpecification")).get("Metrics");
        assertThat(queries)
                .filteredOn(q -> Boolean.TRUE.equals(q.get("ReturnData")))
                .singleElement()
                .satisfies(q -> assertThat(q).containsEntry("Expression", "visible / tasks"));
        assertThat(metric(queries, "visible"))
                .containsEntry("Namespace", "AWS/SQS")
                .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible");
        assertThat(dimensions(metric(queries, "visible"))).containsEntry("QueueName", "sqs:shipping-orders");
        assertThat(metric(queries, "tasks"))
                .containsEntry("Namespace", "ECS/ContainerInsights")
                .containsEntry("MetricName", "RunningTaskCount");
        assertThat(dimensions(metric(queries, "tasks"))).containsKeys("ClusterName", "ServiceName");
    }

    @Test
    void scalesOutQuicklyAndInSlowlyWithinTheBounds() {
        var template = synthesized.template(synthesized.system().scaling());
        template.hasResourceProperties(
                "AWS::ApplicationAutoScaling::ScalableTarget",
                Map.of(
                        "ServiceNamespace",
                        "ecs",
                        "ScalableDimension",
                        "ecs:service:DesiredCount",
                        "MinCapacity",
                        1,
                        "MaxCapacity",
                        10));
        template.hasResourceProperties(
                "AWS::ApplicationAutoScaling::ScalingPolicy",
                Map.of(
                        "TargetTrackingScalingPolicyConfiguration",
                        Match.objectLike(
                                Map.of("ScaleOutCooldown", 60, "ScaleInCooldown", 300, "DisableScaleIn", false))));
    }

    @Test
    void deploymentsLeaveTheScaledTaskCountToThePolicy() {
        var compute = synthesized.system().compute();
        json.resources(compute, "AWS::ECS::Service").values().stream()
                .map(TemplateJson::properties)
                .forEach(service -> {
                    if ("shipping-service".equals(service.get("ServiceName"))) {
                        assertThat(service).doesNotContainKey("DesiredCount");
                    } else {
                        assertThat(service).containsEntry("DesiredCount", 1);
                    }
                });
    }

    @Test
    void withMinimumZeroAStepPolicyWakesTheServiceWhenTheFirstMessageWaits() {
        var scaledToZero = SynthesizedSystem.variant();
        var template = scaledToZero.template(scaledToZero.system().scaling());
        template.hasResourceProperties(
                "AWS::ApplicationAutoScaling::ScalableTarget", Map.of("MinCapacity", 0, "MaxCapacity", 5));
        template.hasResourceProperties(
                "AWS::ApplicationAutoScaling::ScalingPolicy",
                Map.of(
                        "PolicyType",
                        "TargetTrackingScaling",
                        "TargetTrackingScalingPolicyConfiguration",
                        Match.objectLike(Map.of("TargetValue", 240))));
        template.hasResourceProperties(
                "AWS::ApplicationAutoScaling::ScalingPolicy",
                Map.of(
                        "PolicyType",
                        "StepScaling",
                        "StepScalingPolicyConfiguration",
                        Match.objectLike(Map.of(
                                "AdjustmentType",
                                "ChangeInCapacity",
                                "StepAdjustments",
                                List.of(Map.of("MetricIntervalLowerBound", 0, "ScalingAdjustment", 1))))));
        // ">= 1" on an expression that is 1 exactly when messages wait and no task runs: fires for one message.
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Map.of(
                        "ComparisonOperator",
                        "GreaterThanOrEqualToThreshold",
                        "Threshold",
                        1,
                        "Metrics",
                        Match.arrayWith(List.of(Match.objectLike(
                                Map.of("Expression", "IF(FILL(tasks, 0) == 0 AND visible > 0, 1, 0)"))))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metric(List<Map<String, Object>> queries, String id) {
        var query =
                queries.stream().filter(q -> id.equals(q.get("Id"))).findFirst().orElseThrow();
        return (Map<String, Object>) ((Map<String, Object>) query.get("MetricStat")).get("Metric");
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> dimensions(Map<String, Object> metric) {
        var out = new HashMap<String, String>();
        ((List<Map<String, Object>>) metric.get("Dimensions"))
                .forEach(d -> out.put((String) d.get("Name"), describeDimension(d.get("Value"))));
        return out;
    }

    private String describeDimension(Object value) {
        var described = json.describe(value);
        return described;
    }
}
