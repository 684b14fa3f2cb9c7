package io.decoupled.topology.provision;

import java.util.List;
import java.util.stream.Collectors;

/** The queue policy a subscribed queue needs on AWS: only its own topics may send, and only over TLS. */
final class QueuePolicies {
    private QueuePolicies() {}

    static String allowTopicsToSend(List<String> topicArns) {
        var sources = topicArns.stream().map(arn -> "\"" + arn + "\"").collect(Collectors.joining(","));
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AllowTopicsToSend\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\","
                + "\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":[" + sources + "]}}}]}";
    }
}
