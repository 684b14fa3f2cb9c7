package io.decoupled.console.queues;

import io.decoupled.console.panel.Panel;
import io.decoupled.topology.QueueSpec;
import io.decoupled.topology.Redrive;
import io.decoupled.topology.Topology;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Every worker queue of the topology with its dead-letter queue, read straight from SQS with
 * GetQueueAttributes: the numbers do not depend on any service being up, which is what makes a backlog or a
 * poisoned DLQ visible when a consumer is down. Queue names come from {@link Topology#reference()}, so the
 * dashboard cannot list a queue the system does not have.
 */
@Component
public class QueueDepths {
    static final String SOURCE = "SQS GetQueueAttributes";
    private static final List<QueueAttributeName> ATTRIBUTES = List.of(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);

    private final SqsClient sqs;
    private final Topology topology;
    private final Map<String, String> urls = new ConcurrentHashMap<>();

    @Autowired
    QueueDepths(SqsClient sqs) {
        this(sqs, Topology.reference());
    }

    QueueDepths(SqsClient sqs, Topology topology) {
        this.sqs = sqs;
        this.topology = topology;
    }

    public Panel<List<QueueDepth>> read() {
        try {
            var result = new ArrayList<QueueDepth>();
            for (QueueSpec queue : topology.queues()) {
                if (queue.redrive().isEmpty()) {
                    continue; // a DLQ is shown beside the queue it serves
                }
                var attributes = attributes(queue.name());
                String dlq = queue.redrive().map(Redrive::deadLetterQueue).orElseThrow();
                result.add(new QueueDepth(
                        queue.name(),
                        queue.fifo(),
                        attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                        attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
                        attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED),
                        dlq,
                        attributes(dlq).get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)));
            }
            return Panel.of(SOURCE, result);
        } catch (SdkException e) {
            return Panel.unavailable(SOURCE, "SQS did not answer: " + e.getMessage());
        }
    }

    /** The queue URL as SQS reports it (cached: URLs never change for a queue). */
    public String queueUrl(String name) {
        return urls.computeIfAbsent(
                name, n -> sqs.getQueueUrl(r -> r.queueName(n)).queueUrl());
    }

    private Map<QueueAttributeName, Long> attributes(String queue) {
        var response = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl(queue)).attributeNames(ATTRIBUTES));
        var values = new EnumMap<QueueAttributeName, Long>(QueueAttributeName.class);
        for (var name : ATTRIBUTES) {
            values.put(name, Long.parseLong(response.attributes().getOrDefault(name, "0")));
        }
        return values;
    }
}
