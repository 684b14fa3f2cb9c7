package io.decoupled.infra;

import static io.decoupled.infra.TemplateJson.properties;
import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservabilityStackTest {

    private final SynthesizedSystem synthesized = SynthesizedSystem.defaults();
    private final TemplateJson json = new TemplateJson(synthesized);
    private final Topology topology = Topology.reference();

    @Test
    void everyDeadLetterQueueAlarmsOnItsFirstMessage() {
        var deadLetterQueues = new ArrayList<>(topology.queues().stream()
                .flatMap(q -> q.redrive().stream())
                .map(r -> "sqs:" + r.deadLetterQueue())
                .toList());
        // And every subscription's DLQ: a message there is one SNS could not deliver at all.
        topology.subscriptions()
                .forEach(s -> deadLetterQueues.add("sqs:" + s.deadLetterQueue().orElseThrow()));
        var alarms = alarmsOn("ApproximateNumberOfMessagesVisible");
        assertThat(alarms.stream().map(this::queueOf)).containsExactlyInAnyOrderElementsOf(deadLetterQueues);
        assertThat(alarms)
                .allSatisfy(alarm -> assertThat(alarm)
                        .containsEntry("Threshold", 0)
                        .containsEntry("ComparisonOperator", "GreaterThanThreshold")
                        .containsEntry("Statistic", "Maximum"));
    }

    @Test
    void everySubscriptionDeadLetterQueueAlarmsAsUndeliverableAndEveryTopicOnMessagesItCouldNotRedrive() {
        var undeliverable =
                json.resources(synthesized.system().observability(), "AWS::CloudWatch::Alarm").values().stream()
                        .map(TemplateJson::properties)
                        .filter(a -> String.valueOf(a.get("AlarmName")).endsWith("-undeliverable"))
                        .toList();
        assertThat(undeliverable.stream().map(this::queueOf))
                .containsExactlyInAnyOrderElementsOf(topology.subscriptions().stream()
                        .map(s -> "sqs:" + s.deadLetterQueue().orElseThrow())
                        .toList());
        assertThat(undeliverable)
                .allSatisfy(alarm -> assertThat(alarm)
                        .containsEntry("Threshold", 0)
                        .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible"));
        var lost = alarmsOn("NumberOfNotificationsFailedToRedriveToDlq");
        assertThat(lost)
                .hasSize(topology.topics().size())
                .allSatisfy(alarm -> assertThat(alarm)
                        .containsEntry("Namespace", "AWS/SNS")
                        .containsEntry("Statistic", "Sum")
                        .containsEntry("Threshold", 0));
    }

    @Test
    void everyWorkerQueueAlarmsWhenItsOldestMessageGetsOld() {
        var workerQueues = topology.queues().stream()
                .filter(q -> q.redrive().isPresent())
                .map(q -> "sqs:" + q.name())
                .toList();
        var alarms = alarmsOn("ApproximateAgeOfOldestMessage");
        assertThat(alarms.stream().map(this::queueOf)).containsExactlyInAnyOrderElementsOf(workerQueues);
        assertThat(alarms).allSatisfy(alarm -> assertThat(alarm).containsEntry("Threshold", 300));
    }

    @Test
    void aKinesisConsumerFallingBehindAlarmsAndSilenceCountsAsBehind() {
        assertThat(alarmsOn("GetRecords.IteratorAgeMilliseconds"))
                .singleElement()
                .satisfies(alarm -> assertThat(alarm)
                        .containsEntry("Threshold", 60_000)
                        .containsEntry("Namespace", "AWS/Kinesis")
                        .containsEntry("TreatMissingData", "breaching"));
    }

    @Test
    void alarmsNotifyAnEncryptedTopic() {
        var observability = synthesized.system().observability();
        var topics = json.resources(observability, "AWS::SNS::Topic");
        assertThat(topics).hasSize(1);
        var topicId = topics.keySet().iterator().next();
        assertThat(properties(topics.get(topicId))).containsKey("KmsMasterKeyId");
        var alarms = json.resources(observability, "AWS::CloudWatch::Alarm").values();
        // Per queue DLQ, worker queue and subscription DLQ one, per topic one (lost messages), one on the stream.
        int expected = topology.queues().size()
                + topology.topics().size()
                + topology.streams().size();
        assertThat(expected).isEqualTo(20);
        assertThat(alarms)
                .hasSize(expected)
                .allSatisfy(alarm ->
                        assertThat(properties(alarm)).containsEntry("AlarmActions", List.of(Map.of("Ref", topicId))));
    }

    @Test
    void cloudWatchMayUseTheAlarmKeyOnlyForThisSystemsAlarmsInThisAccount() {
        var observability = synthesized.system().observability();
        var statements = json.resources(observability, "AWS::KMS::Key").values().stream()
                .flatMap(key ->
                        TemplateJson.list(((Map<?, ?>) properties(key).get("KeyPolicy")).get("Statement")).stream())
                .map(statement -> (Map<?, ?>) statement)
                .filter(statement -> String.valueOf(statement.get("Principal")).contains("cloudwatch.amazonaws.com"))
                .toList();
        assertThat(statements).singleElement().satisfies(statement -> {
            var conditions = (Map<?, ?>) statement.get("Condition");
            assertThat(conditions.get("StringEquals"))
                    .isEqualTo(Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")));
            assertThat(String.valueOf(conditions.get("ArnLike")))
                    .contains("aws:SourceArn", ":cloudwatch:", ":alarm:decoupled-*");
        });
        // The condition admits an alarm only by its name: every alarm that notifies the topic must carry the prefix.
        assertThat(json.resources(observability, "AWS::CloudWatch::Alarm").values())
                .isNotEmpty()
                .allSatisfy(alarm -> assertThat(properties(alarm).get("AlarmName"))
                        .asString()
                        .startsWith("decoupled-"));
    }

    @Test
    void theDashboardShowsTheScalingMetricWithItsTarget() {
        var dashboards = json.resources(synthesized.system().observability(), "AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        var body =
                String.valueOf(properties(dashboards.values().iterator().next()).get("DashboardBody"));
        assertThat(body)
                .contains("visible / tasks", "\"label\":\"target\"", "\"value\":200", "IteratorAgeMilliseconds");
    }

    private List<Map<String, Object>> alarmsOn(String metricName) {
        return json.resources(synthesized.system().observability(), "AWS::CloudWatch::Alarm").values().stream()
                .map(TemplateJson::properties)
                .filter(a -> metricName.equals(a.get("MetricName")))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private String queueOf(Map<String, Object> alarm) {
        var dimensions = (List<Map<String, Object>>) alarm.get("Dimensions");
        return json.describe(dimensions.getFirst().get("Value"));
    }
}
