package io.decoupled.clicks.click;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * One click as a browser or the load generator sends it. The session id becomes the partition key, so its
 * limits follow Kinesis (at most 256 characters); pages are bounded so that a record stays small. Everything
 * accepted here can be stored by every consumer: text without control characters or unpaired surrogates, a page
 * that fits analytics' index in UTF-8 bytes (see {@link Utf8Size}), a timestamp sent as ISO-8601 text (see
 * {@link IsoInstantDeserializer}) that PostgreSQL and {@code java.sql.Timestamp} can hold (see {@link StorableInstant}).
 *
 * <p>{@code clickId} is optional: a client that sends its own (a UUID) may resend a click whose answer it never got,
 * after a timeout, a 503 or a lost connection, and it is still counted once, since consumers deduplicate on it.
 * Without one the service assigns it, and a resend is a new click.
 */
record ClickRequest(
        @Pattern(regexp = ClickId.CANONICAL, message = "must be a UUID (8-4-4-4-12 hexadecimal digits)")
        String clickId,

        @NotBlank
        @Size(max = 128)
        @Pattern(regexp = "[\\p{Alnum}._:-]+", message = "may contain only letters, digits and . _ : -")
        String sessionId,

        @Size(max = 128) @StorableText String userId,
        @NotBlank @Utf8Size(max = 2048) @StorableText String page,
        @Size(max = 2048) @StorableText String referrer,

        @NotNull @StorableInstant @JsonDeserialize(using = IsoInstantDeserializer.class)
        Instant timestamp) {}
