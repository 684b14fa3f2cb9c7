/**
 * order-service: orders over REST, their integration events relayed to SNS through a transactional outbox,
 * and shipment updates consumed in order from a FIFO queue. Each sub-package is one feature.
 */
package io.decoupled.order;
