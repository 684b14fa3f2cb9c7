package io.decoupled.clicks.click;

import java.time.Instant;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;

/**
 * Reads a click's timestamp only from an ISO-8601 string, as docs/contracts.md promises. Jackson's own reader also
 * takes a JSON number as epoch seconds, and of a huge one keeps the low 64 bits: {@code 1e400} was accepted as
 * 1970-01-01T00:00:00Z and {@code 1.8446744075473552e19} as a day in 2025, clicks counted at times nobody sent.
 */
final class IsoInstantDeserializer extends ValueDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return context.reportInputMismatch(this, "must be an ISO-8601 string such as 2026-11-22T10:15:30Z");
        }
        return InstantDeserializer.INSTANT.deserialize(parser, context);
    }

    /** The type a refusal names as its target, so that ClickProblems words it as it words an unparsable instant. */
    @Override
    public Class<?> handledType() {
        return Instant.class;
    }
}
