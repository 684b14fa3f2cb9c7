package io.decoupled.topology.provision;

import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Compares filter policies the way SNS treats them: endpoints may return the JSON reformatted (spaces,
 * key order, 1000 vs 1000.0), so a textual difference alone is no reason to update a subscription.
 *
 * <p>Both sides are parsed and compared as trees with object keys sorted and numbers compared by value.
 * Arrays keep their order: SNS reads a list of values as "any of", so a reordered list means the same, but
 * treating it as a change costs one idempotent {@code SetSubscriptionAttributes} call, while treating a
 * real change as none would leave a subscription filtering the wrong messages.
 */
final class FilterPolicies {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private FilterPolicies() {}

    static boolean equivalent(String a, String b) {
        return canonical(a).equals(canonical(b));
    }

    /** The policy as a tree with sorted keys and normalised numbers; text that is not JSON stays as it is. */
    static JsonNode canonical(String json) {
        try {
            return normalise(JSON.readTree(json));
        } catch (JacksonException notJson) {
            // Not ours to judge: compared as text, so any difference still counts as one.
            return JsonNodeFactory.instance.stringNode(json);
        }
    }

    private static JsonNode normalise(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(entry -> sorted.put(entry.getKey(), normalise(entry.getValue())));
            var object = JsonNodeFactory.instance.objectNode();
            sorted.forEach(object::set);
            return object;
        }
        if (node.isArray()) {
            var array = JsonNodeFactory.instance.arrayNode();
            node.values().forEach(element -> array.add(normalise(element)));
            return array;
        }
        if (node.isNumber()) {
            // 1000, 1000.0 and 1E+3 are the same number to SNS.
            return JsonNodeFactory.instance.numberNode(node.decimalValue().stripTrailingZeros());
        }
        return node;
    }
}
