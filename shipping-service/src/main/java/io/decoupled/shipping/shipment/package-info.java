/**
 * Shipments: turning a placed order into a booked, recorded shipment exactly once per event, and the
 * ShipmentDispatched / ShipmentDelivered events that announce it (the wire records live here), and the delivery
 * confirmation that waits in the shipment-deliveries delay queue between the two.
 */
package io.decoupled.shipping.shipment;
