package io.decoupled.localaws.conformance;

import io.decoupled.localaws.AwsService;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a contract test as the proof of one behaviour the patterns rely on. {@link ConformanceRecorder} records
 * its outcome per environment, and the page docs/conformance.md is written from those records.
 *
 * @param value   the behaviour, as a row of the page
 * @param service the AWS API it exercises, which says which emulator of the embedded environment answered
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Behaviour {
    String value();

    AwsService service();
}
