/**
 * The click feature: {@code POST /clicks} (one click or a batch), validation into RFC 9457 problems, and the
 * {@code clickstream} wire record keyed by session, handed to the producer.
 */
package io.decoupled.clicks.click;
