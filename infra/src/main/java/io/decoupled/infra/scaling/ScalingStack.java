package io.decoupled.infra.scaling;

import io.decoupled.infra.Service;
import io.decoupled.infra.compute.ComputeStack;
import io.decoupled.infra.messaging.MessagingStack;
import java.util.Objects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.applicationautoscaling.AdjustmentTier;
import software.amazon.awscdk.services.applicationautoscaling.AdjustmentType;
import software.amazon.awscdk.services.applicationautoscaling.CfnScalingPolicy;
import software.amazon.awscdk.services.applicationautoscaling.CfnScalingPolicy.CustomizedMetricSpecificationProperty;
import software.amazon.awscdk.services.applicationautoscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty;
import software.amazon.awscdk.services.applicationautoscaling.MetricAggregationType;
import software.amazon.awscdk.services.applicationautoscaling.ScalableTarget;
import software.amazon.awscdk.services.applicationautoscaling.ServiceNamespace;
import software.amazon.awscdk.services.applicationautoscaling.StepScalingAction;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.ApplicationScalingAction;
import software.constructs.Construct;

/**
 * Backlog-per-worker autoscaling, in AWS: the consumer service's task count tracks
 * {@code visible messages / running tasks} at the {@link AcceptableBacklogPerTask} target, by Application
 * Auto Scaling target tracking on a metric-math expression. No Lambda computes the metric and nothing
 * publishes a custom metric; CloudWatch divides two metrics it already has.
 *
 * <p>It prevents both failure modes of scaling on queue depth alone: a fixed "depth > N" alarm adds the same
 * step whether one task or twenty are running, and never notices that the backlog is already shared out.
 * Target tracking scales out as soon as the ratio is above the target and in only after it has stayed
 * below it for a while (CloudWatch's scale-in alarm needs 15 minutes of data points), plus the cooldown.
 *
 * <p>Target tracking cannot start from zero tasks (capacity 0 times any ratio is 0), so with
 * {@code minTasks = 0} a step policy adds the first task when messages wait and none runs. Its alarm is
 * "{@code >= 1}" on an expression that is exactly 0 or 1, not "queue depth {@code > 1}", which would never
 * fire for a single waiting message.
 */
public class ScalingStack extends Stack {

    /**
     * @param compute           the cluster and the service to scale
     * @param messaging         the queue the service consumes
     * @param service           the consumer service
     * @param queueName         its queue
     * @param minTasks          lower bound; 0 allows scaling to zero (cold start on the first message)
     * @param maxTasks          upper bound, the cost ceiling
     * @param target            the acceptable backlog per task
     * @param scaleOutCooldown  how soon another scale-out may follow one (short: react to bursts)
     * @param scaleInCooldown   how soon another scale-in may follow one (long: no flapping)
     */
    public record Props(
            ComputeStack compute,
            MessagingStack messaging,
            Service service,
            String queueName,
            int minTasks,
            int maxTasks,
            AcceptableBacklogPerTask target,
            java.time.Duration scaleOutCooldown,
            java.time.Duration scaleInCooldown) {
        public Props {
            Objects.requireNonNull(compute, "compute");
            Objects.requireNonNull(messaging, "messaging");
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(queueName, "queueName");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(scaleOutCooldown, "scaleOutCooldown");
            Objects.requireNonNull(scaleInCooldown, "scaleInCooldown");
            if (minTasks < 0 || maxTasks < 1 || minTasks > maxTasks) {
                throw new IllegalArgumentException(
                        "need 0 <= minTasks <= maxTasks and maxTasks >= 1, was " + minTasks + ".." + maxTasks);
            }
        }
    }

    private final BacklogPerTask backlogPerTask;
    private final Props props;

    public ScalingStack(Construct scope, String id, StackProps stackProps, Props props) {
        super(scope, id, stackProps);
        this.props = props;
        var fargate = props.compute().serviceOf(props.service());
        var clusterName = props.compute().cluster().getClusterName();
        // The queue name comes from the queue itself, so this stack deploys after the queue exists.
        backlogPerTask = new BacklogPerTask(
                props.messaging().queue(props.queueName()).getQueueName(), clusterName, fargate.getServiceName());

        var taskCount = ScalableTarget.Builder.create(this, "TaskCount")
                .serviceNamespace(ServiceNamespace.ECS)
                .resourceId("service/" + clusterName + "/" + fargate.getServiceName())
                .scalableDimension("ecs:service:DesiredCount")
                .minCapacity(props.minTasks())
                .maxCapacity(props.maxTasks())
                .build();

        // L1 on purpose: the L2 TargetTrackingScalingPolicy accepts a single metric only, not metric math.
        CfnScalingPolicy.Builder.create(this, "BacklogPerTaskTracking")
                .policyName(props.service().module() + "-backlog-per-task")
                .policyType("TargetTrackingScaling")
                .scalingTargetId(taskCount.getScalableTargetId())
                .targetTrackingScalingPolicyConfiguration(TargetTrackingScalingPolicyConfigurationProperty.builder()
                        .targetValue(props.target().messages())
                        .customizedMetricSpecification(CustomizedMetricSpecificationProperty.builder()
                                .metrics(backlogPerTask.targetTrackingQueries())
                                .build())
                        .scaleOutCooldown(props.scaleOutCooldown().toSeconds())
                        .scaleInCooldown(props.scaleInCooldown().toSeconds())
                        .disableScaleIn(false)
                        .build())
                .build();

        if (props.minTasks() == 0) {
            var wake = StepScalingAction.Builder.create(this, "WakeFromZero")
                    .scalingTarget(taskCount)
                    .adjustmentType(AdjustmentType.CHANGE_IN_CAPACITY)
                    .metricAggregationType(MetricAggregationType.MAXIMUM)
                    .cooldown(software.amazon.awscdk.Duration.seconds(
                            props.scaleOutCooldown().toSeconds()))
                    .build();
            wake.addAdjustment(
                    AdjustmentTier.builder().adjustment(1).lowerBound(0).build());
            var alarm = Alarm.Builder.create(this, "MessagesWaitingWithNoTask")
                    .alarmDescription("Messages wait in " + props.queueName() + " and no "
                            + props.service().module() + " task runs")
                    .metric(backlogPerTask.wakeFromZero())
                    .threshold(1)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                    .evaluationPeriods(1)
                    .treatMissingData(TreatMissingData.NOT_BREACHING)
                    .build();
            alarm.addAlarmAction(new ApplicationScalingAction(wake));
        }
    }

    /** The scaled metric, for the dashboard. */
    public BacklogPerTask backlogPerTask() {
        return backlogPerTask;
    }

    /** The target value of the policy, for the dashboard's annotation. */
    public int targetBacklogPerTask() {
        return props.target().messages();
    }
}
