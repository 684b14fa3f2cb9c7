package io.decoupled.infra.scaling;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.applicationautoscaling.CfnScalingPolicy.TargetTrackingMetricDataQueryProperty;
import software.amazon.awscdk.services.applicationautoscaling.CfnScalingPolicy.TargetTrackingMetricDimensionProperty;
import software.amazon.awscdk.services.applicationautoscaling.CfnScalingPolicy.TargetTrackingMetricProperty;
import software.amazon.awscdk.services.applicationautoscaling.CfnScalingPolicy.TargetTrackingMetricStatProperty;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;

/**
 * Backlog per task as CloudWatch metric math: {@code ApproximateNumberOfMessagesVisible / RunningTaskCount}.
 * One definition feeds the target-tracking policy, the wake-from-zero alarm and the dashboard, so that what
 * an operator sees is what the policy acts on.
 *
 * @param queueName   the queue whose backlog is divided
 * @param clusterName the ECS cluster of the consumer service
 * @param serviceName the ECS service whose running tasks share the backlog
 */
public record BacklogPerTask(String queueName, String clusterName, String serviceName) {

    static final String VISIBLE = "visible";
    static final String TASKS = "tasks";
    static final String EXPRESSION = VISIBLE + " / " + TASKS;
    /** 1 when messages wait and no task runs: target tracking cannot act then (0 tasks times anything is 0). */
    static final String WAKE_FROM_ZERO = "IF(FILL(" + TASKS + ", 0) == 0 AND " + VISIBLE + " > 0, 1, 0)";

    static final String LABEL = "Backlog per task";

    /** The numerator: messages waiting in the queue. */
    public Metric visibleMessages() {
        return Metric.Builder.create()
                .namespace("AWS/SQS")
                .metricName("ApproximateNumberOfMessagesVisible")
                .dimensionsMap(Map.of("QueueName", queueName))
                .statistic("Sum")
                .period(Duration.minutes(1))
                .build();
    }

    /** The denominator: tasks of the consumer service (Container Insights). */
    public Metric runningTasks() {
        return Metric.Builder.create()
                .namespace("ECS/ContainerInsights")
                .metricName("RunningTaskCount")
                // Sorted: Map.of's order changes from one JVM to the next, and the template (and `cdk diff`) with it.
                .dimensionsMap(new TreeMap<>(Map.of("ClusterName", clusterName, "ServiceName", serviceName)))
                .statistic("Average")
                .period(Duration.minutes(1))
                .build();
    }

    /** The expression as the dashboard and alarms use it. */
    public IMetric expression() {
        return math(EXPRESSION, LABEL);
    }

    IMetric wakeFromZero() {
        return math(WAKE_FROM_ZERO, "Messages waiting with no task running");
    }

    private IMetric math(String expression, String label) {
        return MathExpression.Builder.create()
                .expression(expression)
                .usingMetrics(new TreeMap<>(Map.of(VISIBLE, visibleMessages(), TASKS, runningTasks())))
                .label(label)
                .period(Duration.minutes(1))
                .build();
    }

    /** The expression as Application Auto Scaling's target tracking takes it (CloudFormation metric queries). */
    List<TargetTrackingMetricDataQueryProperty> targetTrackingQueries() {
        return List.of(
                query(VISIBLE, visibleMessages()),
                query(TASKS, runningTasks()),
                TargetTrackingMetricDataQueryProperty.builder()
                        .id("backlogPerTask")
                        .expression(EXPRESSION)
                        .label(LABEL)
                        .returnData(true)
                        .build());
    }

    private static TargetTrackingMetricDataQueryProperty query(String id, Metric metric) {
        var dimensions = metric.getDimensions().entrySet().stream()
                .map(d -> TargetTrackingMetricDimensionProperty.builder()
                        .name(d.getKey())
                        .value(String.valueOf(d.getValue()))
                        .build())
                .toList();
        return TargetTrackingMetricDataQueryProperty.builder()
                .id(id)
                .metricStat(TargetTrackingMetricStatProperty.builder()
                        .metric(TargetTrackingMetricProperty.builder()
                                .namespace(metric.getNamespace())
                                .metricName(metric.getMetricName())
                                .dimensions(dimensions)
                                .build())
                        .stat(metric.getStatistic())
                        .build())
                .returnData(false)
                .build();
    }
}
