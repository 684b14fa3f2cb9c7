package io.decoupled.websecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/** What the strict mapper refuses that Jackson's defaults would read as something else. */
class StrictJsonInputTest {
    enum Fulfillment {
        SHIP,
        DIGITAL
    }

    record Line(Integer quantity, Long latencyMillis, Fulfillment fulfillment, String sku) {}

    private static JsonMapper strict() {
        var builder = JsonMapper.builder();
        new StrictJsonInput().customize(builder);
        return builder.build();
    }

    @Test
    void aKeySentTwiceIsRefusedNotReadAsItsLastValue() {
        assertThat(JsonMapper.builder()
                        .build()
                        .readValue("{\"sku\":\"A\",\"sku\":\"B\"}", Line.class)
                        .sku())
                .as("Jackson's default")
                .isEqualTo("B");
        assertThatThrownBy(() -> strict().readValue("{\"sku\":\"A\",\"sku\":\"B\"}", Line.class))
                .isInstanceOf(StreamReadException.class)
                .hasMessageContaining("Duplicate Object property \"sku\"");
    }

    @Test
    void aFractionForAnIntegerIsRefusedNotCut() {
        assertThat(JsonMapper.builder()
                        .build()
                        .readValue("{\"quantity\":1.5}", Line.class)
                        .quantity())
                .as("Jackson's default")
                .isEqualTo(1);
        for (var json : new String[] {"{\"quantity\":1.5}", "{\"quantity\":1e2}", "{\"latencyMillis\":1.9}"}) {
            assertThatThrownBy(() -> strict().readValue(json, Line.class))
                    .as(json)
                    .isInstanceOf(MismatchedInputException.class);
        }
        assertThat(strict().readValue("{\"quantity\":2,\"latencyMillis\":3}", Line.class))
                .isEqualTo(new Line(2, 3L, null, null));
    }

    @Test
    void anEnumByItsPositionIsRefusedByItsNameRead() {
        assertThat(JsonMapper.builder()
                        .build()
                        .readValue("{\"fulfillment\":1}", Line.class)
                        .fulfillment())
                .as("Jackson's default")
                .isEqualTo(Fulfillment.DIGITAL);
        assertThatThrownBy(() -> strict().readValue("{\"fulfillment\":1}", Line.class))
                .isInstanceOf(InvalidFormatException.class);
        assertThat(strict().readValue("{\"fulfillment\":\"DIGITAL\"}", Line.class)
                        .fulfillment())
                .isEqualTo(Fulfillment.DIGITAL);
    }
}
