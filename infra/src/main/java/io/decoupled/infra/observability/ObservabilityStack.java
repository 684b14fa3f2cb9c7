package io.decoupled.infra.observability;

import io.decoupled.infra.compute.ComputeStack;
import io.decoupled.infra.kafka.ClickstreamKafkaStack;
import io.decoupled.infra.messaging.MessagingStack;
import io.decoupled.infra.scaling.ScalingStack;
import io.decoupled.topology.QueueSpec;
import io.decoupled.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Alarms that catch the failures the patterns are there to absorb, before users notice: a message in a
 * dead-letter queue (a poison message, or a bug), a queue whose oldest message is getting old (consumers
 * down or too few), a Kinesis consumer falling behind (iterator age). They notify one encrypted SNS topic.
 */
public class ObservabilityStack extends Stack {

    /**
     * @param messaging          the queues and the stream to watch
     * @param compute            the services and the load balancer
     * @param scaling            the scaled service's backlog-per-task metric and its target
     * @param oldestMessageAge   alarm when a queue's oldest message is older than this
     * @param iteratorAge        alarm when the Kinesis consumer is this far behind the stream's tip
     *                           (on Kafka: when the consumer group is this far behind the topic's newest record)
     * @param alarmEmail         where alarms go, if anywhere (an SNS email subscription, confirmed by mail)
     * @param kafka              the MSK cluster, when the clickstream runs on Kafka instead of the stream
     */
    public record Props(
            MessagingStack messaging,
            ComputeStack compute,
            ScalingStack scaling,
            java.time.Duration oldestMessageAge,
            java.time.Duration iteratorAge,
            Optional<String> alarmEmail,
            Optional<ClickstreamKafkaStack> kafka) {
        public Props {
            Objects.requireNonNull(messaging, "messaging");
            Objects.requireNonNull(compute, "compute");
            Objects.requireNonNull(scaling, "scaling");
            Objects.requireNonNull(oldestMessageAge, "oldestMessageAge");
            Objects.requireNonNull(iteratorAge, "iteratorAge");
            Objects.requireNonNull(alarmEmail, "alarmEmail");
            Objects.requireNonNull(kafka, "kafka");
        }
    }

    private static final Duration PERIOD = Duration.minutes(1);
    static final String DASHBOARD_NAME = "decoupled";
    /** Every alarm of this stack is named with it; the alarm key admits CloudWatch only for alarms named so. */
    static final String ALARM_NAME_PREFIX = "decoupled-";

    private final List<Alarm> alarms = new ArrayList<>();

    public ObservabilityStack(Construct scope, String id, StackProps stackProps, Props props) {
        super(scope, id, stackProps);
        var topology = props.messaging().topology();

        // CloudWatch can publish to an encrypted topic only with a key whose policy lets it: a key of its own,
        // so that the alarm path does not widen the messaging key's policy.
        var alarmKey = Key.Builder.create(this, "AlarmTopicKey")
                .description("Encrypts the alarm notifications of the decoupled reference system")
                .enableKeyRotation(true)
                .pendingWindow(Duration.days(7))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        alarmKey.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchAlarmsToPublish")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:GenerateDataKey*", "kms:Decrypt"))
                .resources(List.of("*"))
                // Only on behalf of this system's alarms in this account: no other alarm (of any account) can make
                // CloudWatch use the key as a confused deputy. Sorted: Map.of's order changes from one JVM to the next.
                .conditions(new TreeMap<>(Map.of(
                        "StringEquals",
                        Map.of("aws:SourceAccount", getAccount()),
                        "ArnLike",
                        Map.of(
                                "aws:SourceArn",
                                formatArn(ArnComponents.builder()
                                        .service("cloudwatch")
                                        .resource("alarm")
                                        .resourceName(ALARM_NAME_PREFIX + "*")
                                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                                        .build())))))
                .build());
        var alarmTopic = Topic.Builder.create(this, "Alarms")
                .displayName("decoupled alarms")
                .masterKey(alarmKey)
                .enforceSsl(true)
                .build();
        props.alarmEmail().ifPresent(email -> alarmTopic.addSubscription(new EmailSubscription(email)));
        var notify = new SnsAction(alarmTopic);

        var deadLetterQueues = deadLetterQueueNames(topology);
        var undeliverable = subscriptionDeadLetterQueues(topology);
        for (var spec : topology.queues()) {
            var queue = props.messaging().queue(spec.name());
            if (undeliverable.containsKey(spec.name())) {
                // SNS could not deliver to a subscribed queue at all: nobody has seen these messages yet.
                alarms.add(alarm(
                        "Undeliverable",
                        spec,
                        queue.metricApproximateNumberOfMessagesVisible(maximum()),
                        0,
                        ComparisonOperator.GREATER_THAN_THRESHOLD,
                        spec.name() + " holds messages SNS could not deliver to " + undeliverable.get(spec.name())
                                + ": check that queue's policy and key, then move them there"));
            } else if (deadLetterQueues.contains(spec.name())) {
                // Any message here is one the system gave up on: 0 is the only healthy value.
                alarms.add(alarm(
                        "DeadLetters",
                        spec,
                        queue.metricApproximateNumberOfMessagesVisible(maximum()),
                        0,
                        ComparisonOperator.GREATER_THAN_THRESHOLD,
                        spec.name() + " holds messages that failed " + Topology.MAX_RECEIVE_COUNT
                                + " times: inspect, fix, redrive"));
            } else {
                alarms.add(alarm(
                        "OldestMessage",
                        spec,
                        queue.metricApproximateAgeOfOldestMessage(maximum()),
                        props.oldestMessageAge().toSeconds(),
                        ComparisonOperator.GREATER_THAN_THRESHOLD,
                        "The oldest message in " + spec.name() + " waits longer than " + props.oldestMessageAge()
                                + ": its consumers are down, stuck or too few"));
            }
        }
        for (var spec : topology.topics()) {
            // The last line of defence: SNS could deliver neither to a subscribed queue nor to its DLQ; the message is
            // lost.
            alarms.add(Alarm.Builder.create(this, "FailedToRedrive" + id(spec.name()))
                    .alarmName(ALARM_NAME_PREFIX + spec.name().replace(".fifo", "-fifo") + "-failed-to-redrive")
                    .alarmDescription("SNS lost messages of " + spec.name()
                            + ": neither the subscribed queue nor its DLQ accepted them")
                    .metric(props.messaging()
                            .topic(spec.name())
                            .metric(
                                    "NumberOfNotificationsFailedToRedriveToDlq",
                                    MetricOptions.builder()
                                            .statistic("Sum")
                                            .period(PERIOD)
                                            .build()))
                    .threshold(0)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                    .evaluationPeriods(1)
                    .treatMissingData(TreatMissingData.NOT_BREACHING)
                    .build());
        }
        for (var spec : topology.streams().stream()
                .filter(s -> props.messaging().hasStream(s.name()))
                .toList()) {
            var stream = props.messaging().stream(spec.name());
            var alarm = Alarm.Builder.create(this, "IteratorAge" + id(spec.name()))
                    .alarmName(ALARM_NAME_PREFIX + spec.name() + "-iterator-age")
                    .alarmDescription(
                            "The consumers of " + spec.name() + " are more than " + props.iteratorAge() + " behind")
                    .metric(stream.metricGetRecordsIteratorAgeMilliseconds(maximum()))
                    .threshold(props.iteratorAge().toMillis())
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                    .evaluationPeriods(5)
                    .datapointsToAlarm(3)
                    // No GetRecords at all is the worst case of falling behind, not "no news is good news".
                    .treatMissingData(TreatMissingData.BREACHING)
                    .build();
            alarms.add(alarm);
        }
        props.kafka()
                .ifPresent(kafka -> alarms.add(Alarm.Builder.create(this, "ClickstreamConsumerLag")
                        .alarmName(ALARM_NAME_PREFIX + "clickstream-consumer-lag")
                        .alarmDescription("The consumer group of the clickstream on Kafka is more than "
                                + props.iteratorAge() + " behind")
                        .metric(kafka.consumerTimeLag(ComputeStack.KCL_APPLICATION_NAME))
                        .threshold(props.iteratorAge().toSeconds())
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                        .evaluationPeriods(5)
                        .datapointsToAlarm(3)
                        // MSK reports lag only for a group with committed offsets: silence means no consumer, as on
                        // Kinesis.
                        .treatMissingData(TreatMissingData.BREACHING)
                        .build()));
        alarms.forEach(alarm -> {
            alarm.addAlarmAction(notify);
            alarm.addOkAction(notify);
        });

        var allDeadLetterQueues = new LinkedHashSet<>(deadLetterQueues);
        allDeadLetterQueues.addAll(undeliverable.keySet());
        dashboard(props, topology, allDeadLetterQueues);
    }

    private Alarm alarm(
            String kind,
            QueueSpec spec,
            IMetric metric,
            double threshold,
            ComparisonOperator operator,
            String description) {
        return Alarm.Builder.create(this, kind + id(spec.name()))
                .alarmName(ALARM_NAME_PREFIX + spec.name().replace(".fifo", "-fifo") + "-" + kind.toLowerCase())
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(operator)
                .evaluationPeriods(1)
                // SQS stops reporting an idle, empty queue; that is healthy.
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }

    private void dashboard(Props props, Topology topology, Set<String> deadLetterQueues) {
        var messaging = props.messaging();
        var workerQueues = topology.queues().stream()
                .filter(q -> !deadLetterQueues.contains(q.name()))
                .toList();
        var loadBalancer = props.compute().loadBalancer().getMetrics();
        var backlog = props.scaling().backlogPerTask();
        var rows = new ArrayList<List<IWidget>>();
        rows.add(List.of(TextWidget.Builder.create()
                .markdown(
                        "# decoupled: SNS fan-out, SQS, Kinesis\nOne row per pattern; docs/infra.md explains each graph.")
                .width(24)
                .height(2)
                .build()));
        rows.add(List.of(
                graph(
                        "Backlog per task: what shipping-service autoscaling tracks",
                        List.of(backlog.expression()),
                        List.of(HorizontalAnnotation.builder()
                                .value(props.scaling().targetBacklogPerTask())
                                .label("target")
                                .build()),
                        12),
                graph(
                        "shipping-service: running tasks and visible messages",
                        List.of(backlog.runningTasks(), backlog.visibleMessages()),
                        List.of(),
                        12)));
        rows.add(List.of(
                graph(
                        "Visible messages per queue (fan-out)",
                        workerQueues.stream()
                                .map(q -> (IMetric)
                                        messaging.queue(q.name()).metricApproximateNumberOfMessagesVisible(maximum()))
                                .toList(),
                        List.of(),
                        8),
                graph(
                        "Age of oldest message (s)",
                        workerQueues.stream()
                                .map(q -> (IMetric)
                                        messaging.queue(q.name()).metricApproximateAgeOfOldestMessage(maximum()))
                                .toList(),
                        List.of(HorizontalAnnotation.builder()
                                .value(props.oldestMessageAge().toSeconds())
                                .label("alarm")
                                .build()),
                        8),
                graph(
                        "Dead-letter queues (poison and undeliverable messages)",
                        deadLetterQueues.stream()
                                .map(q -> (IMetric)
                                        messaging.queue(q).metricApproximateNumberOfMessagesVisible(maximum()))
                                .toList(),
                        List.of(),
                        8)));
        for (var spec : topology.streams().stream()
                .filter(s -> messaging.hasStream(s.name()))
                .toList()) {
            var stream = messaging.stream(spec.name());
            rows.add(List.of(
                    graph(
                            spec.name() + ": records in (PutRecords batching)",
                            List.of(stream.metricIncomingRecords(sum())),
                            List.of(),
                            12),
                    graph(
                            spec.name() + ": iterator age, ms (KCL consumer lag)",
                            List.of(stream.metricGetRecordsIteratorAgeMilliseconds(maximum())),
                            List.of(HorizontalAnnotation.builder()
                                    .value(props.iteratorAge().toMillis())
                                    .label("alarm")
                                    .build()),
                            12)));
        }
        props.kafka()
                .ifPresent(kafka -> rows.add(List.of(
                        graph(
                                "clickstream on Kafka: records in per second",
                                List.of(kafka.messagesIn()),
                                List.of(),
                                12),
                        graph(
                                "clickstream on Kafka: consumer lag, s",
                                List.of(kafka.consumerTimeLag(ComputeStack.KCL_APPLICATION_NAME)),
                                List.of(HorizontalAnnotation.builder()
                                        .value(props.iteratorAge().toSeconds())
                                        .label("alarm")
                                        .build()),
                                12))));
        rows.add(List.of(
                graph(
                        "REST APIs: requests and target 5xx",
                        List.of(
                                loadBalancer.requestCount(sum()),
                                loadBalancer.httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, sum())),
                        List.of(),
                        12),
                graph(
                        "REST APIs: response time p99 (s)",
                        List.of(loadBalancer.targetResponseTime(MetricOptions.builder()
                                .statistic("p99")
                                .period(PERIOD)
                                .build())),
                        List.of(),
                        12)));
        rows.add(List.of(AlarmStatusWidget.Builder.create()
                .title("Alarms")
                .alarms(alarms.stream().map(a -> (IAlarm) a).toList())
                .width(24)
                .build()));
        Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(DASHBOARD_NAME)
                .widgets(rows)
                .build();
        CfnOutput.Builder.create(this, "DashboardUrl")
                .description("The CloudWatch dashboard of the system")
                .value("https://console.aws.amazon.com/cloudwatch/home?region=" + getRegion() + "#dashboards:name="
                        + DASHBOARD_NAME)
                .build();
    }

    private static GraphWidget graph(
            String title, List<IMetric> metrics, List<HorizontalAnnotation> annotations, int width) {
        return GraphWidget.Builder.create()
                .title(title)
                .left(metrics)
                .leftAnnotations(annotations)
                .width(width)
                .height(6)
                .build();
    }

    private static Set<String> deadLetterQueueNames(Topology topology) {
        return topology.queues().stream()
                .flatMap(q -> q.redrive().stream())
                .map(r -> r.deadLetterQueue())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Each subscription's DLQ, with the queue SNS failed to deliver to. */
    private static Map<String, String> subscriptionDeadLetterQueues(Topology topology) {
        var byDlq = new LinkedHashMap<String, String>();
        topology.subscriptions().forEach(s -> s.deadLetterQueue().ifPresent(dlq -> byDlq.put(dlq, s.queue())));
        return byDlq;
    }

    private static MetricOptions maximum() {
        return MetricOptions.builder().statistic("Maximum").period(PERIOD).build();
    }

    private static MetricOptions sum() {
        return MetricOptions.builder().statistic("Sum").period(PERIOD).build();
    }

    private static String id(String name) {
        var out = new StringBuilder();
        for (var part : name.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }

    /** Every alarm of this stack, for tests. */
    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }
}
