/**
 * Operating the dead-letter queue: depth, peeking without consuming, and redriving all or selected messages
 * back to shipping-orders, behind token-protected admin endpoints.
 */
package io.decoupled.shipping.redrive;
