/**
 * Shipments: turning a placed order into a booked, recorded shipment exactly once per event, and the
 * ShipmentDispatched / ShipmentDelivered events that announce it (the wire records live here).
 */
package io.decoupled.shipping.shipment;
