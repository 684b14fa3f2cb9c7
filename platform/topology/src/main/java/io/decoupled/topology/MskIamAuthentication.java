package io.decoupled.topology;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a Kafka client authenticates to Amazon MSK with IAM (the clickstream on MSK Serverless, {@code -c clickstream=kafka}):
 * TLS to port 9098, SASL mechanism {@code AWS_MSK_IAM}, and the login module and callback handler of the
 * {@code aws-msk-iam-auth} plugin, which sign the SASL handshake with the credentials of the default AWS chain (in
 * ECS, the task role). The plugin is an authentication callback for kafka-clients, not a Kafka client of its own.
 * Defined once here for both Kafka services; each switches it on with a setting of its own, off by default (the
 * local brokers are plain, unauthenticated KRaft).
 */
public final class MskIamAuthentication {

    public static final String SECURITY_PROTOCOL = "SASL_SSL";
    public static final String MECHANISM = "AWS_MSK_IAM";
    public static final String LOGIN_MODULE = "software.amazon.msk.auth.iam.IAMLoginModule";
    public static final String CALLBACK_HANDLER = "software.amazon.msk.auth.iam.IAMClientCallbackHandler";

    private MskIamAuthentication() {}

    /** The Kafka client settings ({@code security.protocol}, {@code sasl.*}), the same for producers, consumers and admins. */
    public static Map<String, String> clientProperties() {
        var properties = new LinkedHashMap<String, String>();
        properties.put("security.protocol", SECURITY_PROTOCOL);
        properties.put("sasl.mechanism", MECHANISM);
        properties.put("sasl.jaas.config", LOGIN_MODULE + " required;");
        properties.put("sasl.client.callback.handler.class", CALLBACK_HANDLER);
        return Map.copyOf(properties);
    }

    /**
     * The same settings as Spring Boot properties: {@code spring.kafka.security.protocol} and
     * {@code spring.kafka.properties[…]}, which Boot applies to every client it builds (producer, consumer, admin).
     */
    public static Map<String, Object> springKafkaProperties() {
        var properties = new LinkedHashMap<String, Object>();
        clientProperties()
                .forEach((key, value) -> properties.put(
                        key.equals("security.protocol")
                                ? "spring.kafka.security.protocol"
                                : "spring.kafka.properties[" + key + "]",
                        value));
        return Map.copyOf(properties);
    }
}
