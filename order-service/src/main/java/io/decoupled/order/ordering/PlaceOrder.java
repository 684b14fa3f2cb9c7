package io.decoupled.order.ordering;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The command behind POST /orders. {@code sessionId} ties the order to the web session's clicks (the funnel).
 * Every constraint also keeps the value storable: text without control characters, sizes within the columns, and
 * a total of at most 10⁹ (what SNS filters compare; it fits numeric(14,2) too), so that bad input is a 400 naming the field and never a failed insert.
 */
@StorableTotal
record PlaceOrder(
        @Schema(example = "c-42") @NotBlank @Size(max = 64) @PlainText
        String customerId,

        @Schema(example = "s-7f3a", description = "optional: the web session that placed the order")
        @Size(max = 128)
        @PlainText
        String sessionId,

        @NotNull Fulfillment fulfillment,

        @Schema(example = "DE", description = "ISO 3166-1 alpha-2") @NotNull @IsoCountry
        String country,

        @Schema(example = "EUR", description = "ISO 4217; the service's default currency when absent")
        @Pattern(regexp = "[A-Z]{3}")
        String currency,

        @Schema(
                description =
                        "at most 5,000: a bulk order (a shop restocking) can have thousands of lines, which takes its event past SNS's 256 KiB; it is then published through S3 (docs/large-payloads.md)")
        @NotEmpty
        @Size(max = MAX_LINES)
        List<@Valid @NotNull OrderLine> lines) {

    /**
     * The most lines an order may have. A bulk order of this many lines with 64-character SKUs is about 600 KB as JSON,
     * within the API's body limit (order.web.max-request-body, 1 MB) and past SNS's 256 KiB, so its event goes
     * through S3.
     */
    static final int MAX_LINES = 5_000;

    PlaceOrder withDefaultCurrency(String defaultCurrency) {
        return currency != null
                ? this
                : new PlaceOrder(customerId, sessionId, fulfillment, country, defaultCurrency, lines);
    }

    /** The order total in cents precision; prices carry at most two decimals, so nothing is rounded. */
    BigDecimal total() {
        return lines.stream()
                .map(OrderLine::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.UNNECESSARY);
    }

    /**
     * A canonical text of the request's meaning: the same order written with other whitespace, field order or
     * trailing zeros gives the same text, so an Idempotency-Key retry is recognised as the same request.
     */
    String canonicalForm() {
        return String.join(
                "|",
                customerId,
                String.valueOf(sessionId),
                fulfillment.name(),
                country,
                currency,
                lines.stream()
                        .map(l -> l.sku() + "*" + l.quantity() + "@"
                                + l.unitPrice().stripTrailingZeros().toPlainString())
                        .collect(Collectors.joining(",")));
    }
}
