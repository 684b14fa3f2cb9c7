package io.decoupled.clicks.click;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Text of at most {@code max} bytes as UTF-8, the size every store downstream sees, not the UTF-16 characters Java
 * counts. Analytics keeps a click's page in a PostgreSQL btree key (page_minute), whose entries end at 2704 bytes:
 * 900 CJK characters are 2.7 KB of UTF-8 and 2048 of them 6 KB, which a character limit of 2048 let through and the
 * index then refused on every try. {@code null} is valid (use {@code @NotNull} for that).
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Utf8Size.Validator.class)
@interface Utf8Size {
    int max();

    String message() default "must be at most {max} bytes as UTF-8";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<Utf8Size, String> {
        private int max;

        @Override
        public void initialize(Utf8Size constraint) {
            max = constraint.max();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || utf8Length(value) <= max;
        }

        /** Counted without encoding; stops once past {@code max}, so a megabyte of text costs no more than the limit. */
        private int utf8Length(String value) {
            int bytes = 0;
            for (int i = 0; i < value.length() && bytes <= max; i++) {
                char c = value.charAt(i);
                if (c < 0x80) {
                    bytes += 1;
                } else if (c < 0x800) {
                    bytes += 2;
                } else if (Character.isHighSurrogate(c)
                        && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1))) {
                    bytes += 4;
                    i++;
                } else {
                    bytes += 3;
                }
            }
            return bytes;
        }
    }
}
