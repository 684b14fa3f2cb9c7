package io.decoupled.websecurity;

import java.util.Optional;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pattern: strict reading at the edge. Jackson's defaults accept JSON that says one thing and store another: a key
 * sent twice keeps its last value (a proxy, a log or a validator reading the first sees another request), a fraction
 * sent for an integer is cut ({@code "quantity": 1.5} became 1, {@code 1e2} became 100), and an enum can be sent by
 * its position ({@code "fulfillment": 0} became SHIP). Each is refused here, so the caller gets a 400 instead of an
 * order or a setting it did not ask for.
 *
 * <p>Every service that reads request bodies declares it as a bean next to its {@link WebServerHardening}; Spring
 * Boot applies it to the JSON mapper of its HTTP message converters.
 */
public final class StrictJsonInput implements JsonMapperBuilderCustomizer {
    /** How Jackson's strict duplicate detection begins its message; it has no exception type of its own. */
    private static final String DUPLICATE = "Duplicate Object property \"";

    @Override
    public void customize(JsonMapper.Builder builder) {
        builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    }

    /**
     * The key a body sent twice, when {@code failure} is the strict duplicate detection's refusal, so that a problem
     * handler can name it; empty for any other failure.
     */
    public static Optional<String> duplicatedKey(JacksonException failure) {
        var message = failure.getOriginalMessage();
        if (message == null || !message.startsWith(DUPLICATE)) {
            return Optional.empty();
        }
        var name = message.substring(DUPLICATE.length());
        return Optional.of(name.endsWith("\"") ? name.substring(0, name.length() - 1) : name);
    }
}
