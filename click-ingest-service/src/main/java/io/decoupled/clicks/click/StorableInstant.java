package io.decoupled.clicks.click;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;

/**
 * An event time every store downstream can hold: from {@value #EARLIEST} to {@value #LATEST} (UTC). ISO-8601 and
 * {@link Instant} accept years up to a billion, but PostgreSQL {@code timestamptz} ends in 294276 AD and starts in
 * 4713 BC, and {@code java.sql.Timestamp} overflows long before Instant does; a click outside this window would be
 * accepted here and become a poison record in analytics. The window is fixed, not relative to "now", so that a
 * replayed or back-filled click is judged the same way every time. {@code null} is valid (use {@code @NotNull}).
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = StorableInstant.Validator.class)
@interface StorableInstant {
    String EARLIEST = "1970-01-01T00:00:00Z";
    String LATEST = "9999-12-31T23:59:59Z";

    String message() default "must be between " + EARLIEST + " and " + LATEST;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<StorableInstant, Instant> {
        private static final Instant FROM = Instant.parse(EARLIEST);
        // Inclusive of the last second's fractions.
        private static final Instant UNTIL = Instant.parse(LATEST).plusSeconds(1);

        @Override
        public boolean isValid(Instant value, ConstraintValidatorContext context) {
            return value == null || (!value.isBefore(FROM) && value.isBefore(UNTIL));
        }
    }
}
