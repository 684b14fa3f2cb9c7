package io.decoupled.shipping.consumer;

import java.util.Map;

/**
 * What a handler sees of an SQS message: the payload (already unwrapped from an SNS envelope if the
 * subscription does not use raw delivery), its string attributes and how often SQS has delivered it.
 */
public record ReceivedMessage(String messageId, String payload, Map<String, String> attributes, int receiveCount) {
    public ReceivedMessage {
        attributes = Map.copyOf(attributes);
    }
}
