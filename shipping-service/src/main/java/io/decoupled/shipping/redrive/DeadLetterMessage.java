package io.decoupled.shipping.redrive;

import java.time.Instant;
import java.util.Map;

/** A message in the DLQ as an operator sees it when peeking. */
record DeadLetterMessage(String messageId, String body, Map<String, String> attributes, Instant sentAt) {}
