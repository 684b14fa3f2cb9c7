/**
 * The click-to-order funnel: sessions that clicked (clickstream) against sessions that placed an order
 * (order events carry an optional sessionId), joined in the database both feeds write to.
 */
package io.decoupled.analytics.funnel;
