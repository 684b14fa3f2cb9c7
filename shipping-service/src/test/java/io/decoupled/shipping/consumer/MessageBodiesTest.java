package io.decoupled.shipping.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class MessageBodiesTest {
    private final MessageBodies bodies = new MessageBodies(JsonMapper.builder().build());

    @Test
    void rawDeliveryBodyIsThePayload() {
        var raw = "{\"eventId\":\"e\",\"eventType\":\"OrderPlaced\"}";
        assertThat(bodies.payload(raw)).isEqualTo(raw);
    }

    @Test
    void snsEnvelopeIsUnwrapped() {
        var envelope = """
                {"Type":"Notification","MessageId":"m-1","TopicArn":"arn:aws:sns:us-east-1:000000000000:order-events",
                 "Message":"{\\"eventId\\":\\"e\\",\\"eventType\\":\\"OrderPlaced\\"}","Timestamp":"2026-11-22T10:00:00Z"}""";
        assertThat(bodies.payload(envelope)).isEqualTo("{\"eventId\":\"e\",\"eventType\":\"OrderPlaced\"}");
    }

    @Test
    void aPayloadThatMerelyMentionsNotificationIsLeftAlone() {
        var raw = "{\"note\":\"Notification\",\"Message\":\"x\"}";
        assertThat(bodies.payload(raw)).isEqualTo(raw);
        assertThat(bodies.payload("not json \"Notification\"")).isEqualTo("not json \"Notification\"");
    }
}
