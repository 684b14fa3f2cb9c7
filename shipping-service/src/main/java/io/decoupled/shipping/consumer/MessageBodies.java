package io.decoupled.shipping.consumer;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Undoes SNS delivery: a raw-delivery subscription hands over the published body as it is, any other wraps
 * it in the SNS JSON envelope ({@code Type: Notification}, {@code Message}). Recognising both means the
 * consumer keeps working if the topology switches the subscription's delivery mode.
 */
final class MessageBodies {
    private final JsonMapper json;

    MessageBodies(JsonMapper json) {
        this.json = json;
    }

    String payload(String body) {
        if (body == null || !body.contains("\"Notification\"")) {
            return body;
        }
        try {
            JsonNode node = json.readTree(body);
            if (node.isObject()
                    && "Notification".equals(node.path("Type").asString(null))
                    && node.path("TopicArn").isString()
                    && node.path("Message").isString()) {
                return node.path("Message").asString();
            }
            return body;
        } catch (JacksonException notJson) {
            return body;
        }
    }
}
