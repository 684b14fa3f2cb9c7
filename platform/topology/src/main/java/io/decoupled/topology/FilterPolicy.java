package io.decoupled.topology;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An SNS subscription filter policy. The scope decides whether it matches message attributes or the
 * JSON message body; the policy is kept as a tree so that the provisioner can send it as JSON and the CDK
 * app can hand it to CloudFormation as an object.
 */
public record FilterPolicy(Scope scope, Map<String, Object> policy) {

    public enum Scope {
        MESSAGE_ATTRIBUTES("MessageAttributes"),
        MESSAGE_BODY("MessageBody");

        private final String awsName;

        Scope(String awsName) {
            this.awsName = awsName;
        }

        /** The value of the {@code FilterPolicyScope} subscription attribute. */
        public String awsName() {
            return awsName;
        }
    }

    public FilterPolicy {
        Objects.requireNonNull(scope, "scope");
        policy = Map.copyOf(policy);
        if (policy.isEmpty()) {
            throw new IllegalArgumentException(
                    "an empty filter policy matches nothing useful; omit the policy instead");
        }
    }

    public static FilterPolicy onAttributes(Map<String, Object> policy) {
        return new FilterPolicy(Scope.MESSAGE_ATTRIBUTES, policy);
    }

    public static FilterPolicy onBody(Map<String, Object> policy) {
        return new FilterPolicy(Scope.MESSAGE_BODY, policy);
    }

    /** Exact string match against any of the values. */
    public static List<Object> anyOf(String... values) {
        return List.of((Object[]) values);
    }

    /** A numeric condition, for example {@code numeric(">=", 1000)}. */
    public static List<Object> numeric(String operator, Number value) {
        return List.of(Map.of("numeric", List.of(operator, value)));
    }

    public String toJson() {
        return Json.write(policy);
    }
}
