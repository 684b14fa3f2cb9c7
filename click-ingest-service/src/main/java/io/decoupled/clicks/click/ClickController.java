package io.decoupled.clicks.click;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /clicks}: one click (a JSON object) or a batch (a JSON array of up to 500). 202 once buffered;
 * with {@code ?await=true}, 200 once on the stream (or 503 if the stream refused one of them as such).
 */
@RestController
class ClickController {
    static final int MAX_CLICKS_PER_REQUEST = 500;

    private final ClickIngestion ingestion;
    private final ClickProperties properties;

    ClickController(ClickIngestion ingestion, ClickProperties properties) {
        this.ingestion = ingestion;
        this.properties = properties;
    }

    @PostMapping(
            path = "/clicks",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ClicksAccepted> accept(
            @RequestBody @NotEmpty @Size(max = MAX_CLICKS_PER_REQUEST) List<@NotNull @Valid ClickRequest> clicks,
            @RequestParam(defaultValue = "false") boolean await)
            throws InterruptedException {
        RepeatedClickId.check(clicks);
        var ingested = ingestion.ingest(clicks);
        if (ingested.written().isCompletedExceptionally()) {
            // Refused by the client before it took them (no metadata within max.block.ms, closed): never answered 202.
            throw new CompletionException(ingested.written().exceptionNow());
        }
        if (!await) {
            return ResponseEntity.accepted().body(new ClicksAccepted(clicks.size(), ingested.clickIds(), false));
        }
        try {
            ingested.written().get(properties.awaitTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return ResponseEntity.ok(new ClicksAccepted(clicks.size(), ingested.clickIds(), true));
        } catch (TimeoutException stillBuffered) {
            // Still buffered and still going to be written (or reported): accepted, not failed.
            return ResponseEntity.status(HttpStatus.ACCEPTED)
                    .body(new ClicksAccepted(clicks.size(), ingested.clickIds(), false));
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }
}
