package io.decoupled.topology.provision;

import java.util.Map;
import java.util.NoSuchElementException;

/** The addresses of the provisioned resources, as the endpoint reported them. */
public record ProvisionedTopology(
        Map<String, String> queueUrls,
        Map<String, String> queueArns,
        Map<String, String> topicArns,
        Map<String, String> streamArns) {
    public ProvisionedTopology {
        queueUrls = Map.copyOf(queueUrls);
        queueArns = Map.copyOf(queueArns);
        topicArns = Map.copyOf(topicArns);
        streamArns = Map.copyOf(streamArns);
    }

    public String queueUrl(String queue) {
        return get(queueUrls, queue, "queue");
    }

    public String queueArn(String queue) {
        return get(queueArns, queue, "queue");
    }

    public String topicArn(String topic) {
        return get(topicArns, topic, "topic");
    }

    private static String get(Map<String, String> map, String key, String kind) {
        var value = map.get(key);
        if (value == null) {
            throw new NoSuchElementException("no provisioned " + kind + " named " + key);
        }
        return value;
    }
}
