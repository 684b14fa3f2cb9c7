package io.decoupled.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.topology.FilterPolicy;
import io.decoupled.topology.QueueSpec;
import io.decoupled.topology.Redrive;
import io.decoupled.topology.StreamSpec;
import io.decoupled.topology.SubscriptionSpec;
import io.decoupled.topology.TopicSpec;
import io.decoupled.topology.Topology;
import io.decoupled.topology.provision.Change;
import io.decoupled.topology.provision.Change.Action;
import io.decoupled.topology.provision.TopologyProvisioner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The provisioner converges an endpoint: creates what is missing, corrects what differs, leaves the rest. */
class ProvisionerIT {
    private final LocalAws aws = SharedAwsEnvironments.embedded();

    private static Topology sample(String prefix, Duration visibility, int threshold) {
        var dlq = QueueSpec.deadLetter(prefix + "-dlq");
        var work = QueueSpec.worker(prefix + "-work", new Redrive(prefix + "-dlq", 3))
                .withVisibilityTimeout(visibility);
        var fifoDlq = QueueSpec.deadLetter(prefix + "-dlq.fifo");
        var fifo = QueueSpec.worker(prefix + "-work.fifo", new Redrive(prefix + "-dlq.fifo", 3));
        return new Topology(
                List.of(new TopicSpec(prefix + "-events"), new TopicSpec(prefix + "-events.fifo")),
                List.of(dlq, work, fifoDlq, fifo),
                List.of(
                        new SubscriptionSpec(
                                prefix + "-events",
                                prefix + "-work",
                                true,
                                Optional.of(
                                        FilterPolicy.onBody(Map.of("total", FilterPolicy.numeric(">=", threshold))))),
                        new SubscriptionSpec(prefix + "-events.fifo", prefix + "-work.fifo", true, Optional.empty())),
                List.of(new StreamSpec(prefix + "-stream", 1, Duration.ofHours(24))));
    }

    @Test
    void aSecondRunChangesNothingAndAChangedDefinitionUpdatesOnlyWhatDiffers() {
        var prefix = "prov-" + UUID.randomUUID().toString().substring(0, 8);
        try (var sqs = aws.sqs();
                var sns = aws.sns();
                var kinesis = aws.kinesis()) {
            var provisioner = new TopologyProvisioner(sqs, sns, kinesis);

            var first = provisioner.provision(sample(prefix, Duration.ofSeconds(30), 1000));
            assertThat(first.changes())
                    .extracting(Change::action)
                    .containsOnly(Action.CREATED)
                    .hasSize(9);

            var second = provisioner.provision(sample(prefix, Duration.ofSeconds(30), 1000));
            assertThat(second.changedNothing())
                    .as("second run: %s", second.effectiveChanges())
                    .isTrue();
            assertThat(second.resources()).isEqualTo(first.resources());

            var third = provisioner.provision(sample(prefix, Duration.ofSeconds(5), 500));
            assertThat(third.effectiveChanges())
                    .extracting(Change::name, Change::action)
                    .containsExactlyInAnyOrder(
                            Tuple.tuple(prefix + "-work", Action.UPDATED),
                            Tuple.tuple(prefix + "-events -> " + prefix + "-work", Action.UPDATED));
            var url = third.resources().queueUrl(prefix + "-work");
            var visibility = sqs.getQueueAttributes(
                            r -> r.queueUrl(url).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                    .attributes()
                    .get(QueueAttributeName.VISIBILITY_TIMEOUT);
            assertThat(visibility).isEqualTo("5");
            var fifoAttributes = sqs.getQueueAttributes(
                            r -> r.queueUrl(third.resources().queueUrl(prefix + "-work.fifo"))
                                    .attributeNames(QueueAttributeName.ALL))
                    .attributes();
            assertThat(fifoAttributes).containsEntry(QueueAttributeName.FIFO_QUEUE, "true");
            assertThat(fifoAttributes.get(QueueAttributeName.REDRIVE_POLICY)).contains(prefix + "-dlq.fifo");
        }
    }
}
