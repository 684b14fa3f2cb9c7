package io.decoupled.order.ordering;

import io.decoupled.topology.OrderEventAttributes;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;

/**
 * The order's total (the sum of quantity × unit price) is one every consumer can hold: at most 10⁹, the largest
 * number an SNS filter policy compares ({@link OrderEventAttributes#MAX_FILTERABLE_TOTAL}; past it the order-review
 * subscription's {@code total >= 1000} would not match), which also fits the {@code numeric(14,2)} columns. Each
 * line can be valid on its own and their sum still exceed it; checked here and reported on the {@code total} field,
 * never a failed insert or an order that silently skips review.
 */
@Target({ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = StorableTotal.Validator.class)
@interface StorableTotal {
    BigDecimal MAX = BigDecimal.valueOf(OrderEventAttributes.MAX_FILTERABLE_TOTAL);

    String message() default
            "the order total (sum of quantity × unitPrice) must be at most 1000000000 (the largest number SNS filters compare)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<StorableTotal, PlaceOrder> {
        /** At most two decimals and twelve integer digits once trailing zeros are gone: cheap to add up. */
        private static boolean plausible(BigDecimal price) {
            var stripped = price.stripTrailingZeros();
            return stripped.scale() <= 2 && stripped.precision() - stripped.scale() <= 12;
        }

        @Override
        public boolean isValid(PlaceOrder order, ConstraintValidatorContext context) {
            if (order == null || order.lines() == null) {
                return true;
            }
            var total = BigDecimal.ZERO;
            for (var line : order.lines()) {
                if (line == null
                        || line.quantity() == null
                        || line.unitPrice() == null
                        || line.quantity() < 1
                        || !plausible(line.unitPrice())) {
                    // The line's own constraints report it. Never do arithmetic on an absurd exponent: adding
                    // 9e-999999999 to 0.01 would build a number with a billion digits.
                    return true;
                }
                total = total.add(line.amount());
            }
            if (total.compareTo(MAX) <= 0) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                    .addPropertyNode("total")
                    .addConstraintViolation();
            return false;
        }
    }
}
