package io.decoupled.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;

/**
 * Plain-map access to synthesized templates, and a resolver that turns a reference into the name of what it
 * points at ({@code sqs:shipping-orders}, {@code kms:MessagingKey}), also across stacks, so that tests
 * can state permissions in the words of the topology rather than in logical ids.
 */
public final class TemplateJson {

    private final SynthesizedSystem synthesized;

    public TemplateJson(SynthesizedSystem synthesized) {
        this.synthesized = synthesized;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> template(Stack stack) {
        return (Map<String, Object>) synthesized.template(stack).toJSON();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> resources(Stack stack, String type) {
        var out = new LinkedHashMap<String, Map<String, Object>>();
        ((Map<String, Map<String, Object>>) template(stack).get("Resources")).forEach((id, resource) -> {
            if (type.equals(resource.get("Type"))) {
                out.put(id, resource);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    /** A string or a list of strings in a policy ("Action", "Resource") as a list. */
    public static List<Object> list(Object value) {
        return value instanceof List<?> l ? new ArrayList<>(l) : List.of(value);
    }

    /** What a value in a template refers to, in readable form; literal strings are returned as they are. */
    @SuppressWarnings("unchecked")
    public String describe(Object value) {
        if (value instanceof String s) {
            return s;
        }
        var map = (Map<String, Object>) value;
        if (map.containsKey("Fn::GetStackOutput")) {
            var ref = (Map<String, Object>) map.get("Fn::GetStackOutput");
            var producer = stackNamed((String) ref.get("StackName"));
            var outputs = (Map<String, Map<String, Object>>) template(producer).get("Outputs");
            return describeIn(
                    producer, outputs.get((String) ref.get("OutputName")).get("Value"));
        }
        if (map.containsKey("Fn::Join")) {
            var parts = (List<Object>) ((List<Object>) map.get("Fn::Join")).get(1);
            var out = new StringBuilder();
            parts.forEach(p -> out.append(p instanceof String s ? s : "<" + describe(p) + ">"));
            return out.toString();
        }
        if (map.containsKey("Ref") && ((String) map.get("Ref")).startsWith("AWS::")) {
            return (String) map.get("Ref");
        }
        throw new IllegalArgumentException("cannot describe " + value);
    }

    /** A Ref or GetAtt inside {@code stack}, as kind:name of the resource it points at. */
    @SuppressWarnings("unchecked")
    public String describeIn(Stack stack, Object value) {
        var map = (Map<String, Object>) value;
        String logicalId = map.containsKey("Ref")
                ? (String) map.get("Ref")
                : (String) ((List<Object>) map.get("Fn::GetAtt")).get(0);
        var resources = (Map<String, Map<String, Object>>) template(stack).get("Resources");
        var resource = resources.get(logicalId);
        var props = properties(resource);
        return switch ((String) resource.get("Type")) {
            case "AWS::SQS::Queue" -> "sqs:" + props.get("QueueName");
            case "AWS::SNS::Topic" -> "sns:" + props.get("TopicName");
            case "AWS::Kinesis::Stream" -> "kinesis:" + props.get("Name");
            case "AWS::KMS::Key" -> "kms:" + logicalId.replaceAll("[0-9A-F]{8}$", "");
            case "AWS::S3::Bucket" -> "s3:" + logicalId.replaceAll("[0-9A-F]{8}$", "");
            default -> resource.get("Type") + ":" + logicalId;
        };
    }

    private Stack stackNamed(String name) {
        var system = synthesized.system();
        for (Stack s : system.stacks()) {
            if (s.getStackName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no stack " + name);
    }
}
