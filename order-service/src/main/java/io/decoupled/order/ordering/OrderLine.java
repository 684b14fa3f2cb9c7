package io.decoupled.order.ordering;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** One line of an order, as requested and as stored. */
record OrderLine(
        @Schema(example = "BOOK-1") @NotBlank @Size(max = 64) @PlainText
        String sku,

        @Schema(example = "2") @NotNull @Min(1) @Max(10_000) Integer quantity,

        @Schema(example = "617.25") @NotNull @DecimalMin("0.01") @Digits(integer = 10, fraction = 2)
        BigDecimal unitPrice) {

    BigDecimal amount() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
