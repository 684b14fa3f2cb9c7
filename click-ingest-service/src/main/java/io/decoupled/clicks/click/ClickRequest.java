package io.decoupled.clicks.click;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * One click as a browser or the load generator sends it. The session id becomes the partition key, so its
 * limits follow Kinesis (at most 256 characters); pages are bounded so that a record stays small.
 */
record ClickRequest(
        @NotBlank @Size(max = 128) @Pattern(regexp = "[\\p{Alnum}._:-]+", message = "may contain only letters, digits and . _ : -")
        String sessionId,
        @Size(max = 128) String userId,
        @NotBlank @Size(max = 2048) String page,
        @Size(max = 2048) String referrer,
        @NotNull Instant timestamp) {
}
