package io.decoupled.console.dashboard;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.stereotype.Component;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API reads its bodies as strictly as the services read theirs. Jackson's defaults accept JSON that says one thing
 * and set another: a key sent twice kept its last value ({@code {"running":false,"running":true}} started the load),
 * a number for a boolean or a string for a number was converted ({@code "running":1} was true), a fraction for a
 * whole number was cut (a carrier latency of 1.9 ms was sent on as 1) and an enum could be sent by its position. Each
 * is a 400 naming the field (ApiProblems) instead of a setting the caller did not send.
 */
@Component
class StrictJsonInput implements JsonMapperBuilderCustomizer {

    @Override
    public void customize(JsonMapper.Builder builder) {
        builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    }
}
