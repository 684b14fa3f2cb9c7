package io.decoupled.shipping.shipment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The shipment events serialize to exactly the fields docs/contracts.md promises consumers. */
class ShipmentEventContractTest {
    private final JsonMapper json = JsonMapper.builder().findAndAddModules().build();

    @Test
    void shipmentDispatchedHasTheContractFields() {
        var event = new ShipmentEvent.ShipmentDispatched(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                "DHL",
                "DHL-DE-1",
                Instant.parse("2026-11-22T10:15:30Z"));
        var node = json.readTree(json.writeValueAsString(event));
        assertThat(node.propertyNames())
                .containsExactlyInAnyOrder(
                        "eventId", "eventType", "orderId", "shipmentId", "carrier", "trackingNumber", "occurredAt");
        assertThat(node.path("eventType").asString()).isEqualTo("ShipmentDispatched");
        assertThat(node.path("occurredAt").asString()).isEqualTo("2026-11-22T10:15:30Z");
        assertThat(node.path("orderId").asString()).isEqualTo(event.orderId().toString());
    }

    @Test
    void shipmentDeliveredHasTheContractFields() {
        var event = new ShipmentEvent.ShipmentDelivered(
                UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "UPS", "UPS-FR-2", Instant.now());
        var node = json.readTree(json.writeValueAsString(event));
        assertThat(node.path("eventType").asString()).isEqualTo("ShipmentDelivered");
        assertThat(node.has("trackingNumber")).isTrue();
    }

    @Test
    void theCancellationAnswersNameTheRequestTheyAnswer() {
        var cancelled = new ShipmentEvent.ShipmentCancelled(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                "nothing dispatched",
                Instant.parse("2026-11-22T10:15:30Z"));
        var node = json.readTree(json.writeValueAsString(cancelled));
        assertThat(node.propertyNames())
                .containsExactlyInAnyOrder("eventId", "eventType", "orderId", "cancellationId", "reason", "occurredAt");
        assertThat(node.path("eventType").asString()).isEqualTo("ShipmentCancelled");

        var refused = new ShipmentEvent.CancellationRefused(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                "DISPATCHED",
                "DHL",
                "DHL-DE-1",
                "the parcel was dispatched",
                Instant.now());
        node = json.readTree(json.writeValueAsString(refused));
        assertThat(node.propertyNames())
                .containsExactlyInAnyOrder(
                        "eventId",
                        "eventType",
                        "orderId",
                        "cancellationId",
                        "shipmentId",
                        "shipmentStatus",
                        "carrier",
                        "trackingNumber",
                        "reason",
                        "occurredAt");
        assertThat(node.path("eventType").asString()).isEqualTo("CancellationRefused");
    }
}
