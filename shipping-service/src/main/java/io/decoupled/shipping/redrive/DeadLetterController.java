package io.decoupled.shipping.redrive;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's view of shipping-orders-dlq. Every endpoint needs the admin bearer token, and produces JSON,
 * declared: a request whose Accept header excludes it is a 406 before anything is redriven, not after.
 */
@RestController
@RequestMapping(path = "/admin/dlq", produces = MediaType.APPLICATION_JSON_VALUE)
class DeadLetterController {
    private final DeadLetterRedriver redriver;

    DeadLetterController(DeadLetterRedriver redriver) {
        this.redriver = redriver;
    }

    @GetMapping
    DeadLetterQueueDepth depth() {
        return redriver.depth();
    }

    /** Shows messages without consuming them: they are held only while collected, then released. */
    @GetMapping("/messages")
    List<DeadLetterMessage> peek(@RequestParam(defaultValue = "10") @Min(1) @Max(100) int max) {
        return redriver.peek(max);
    }

    @PostMapping("/redrive")
    ResponseEntity<RedriveTask> redriveAll() {
        var task = redriver.redriveAll();
        return ResponseEntity.accepted()
                .location(URI.create("/admin/dlq/redrives"))
                .body(task);
    }

    @GetMapping("/redrives")
    List<RedriveTask> redrives() {
        return redriver.tasks();
    }

    /** SQS message ids: printable ASCII, at most 128 characters (a UUID is 36). */
    record RedriveSelection(
            @NotEmpty @Size(max = 1000) List<@NotNull @Pattern(regexp = "[\\x21-\\x7E]{1,128}") String> messageIds) {}

    @PostMapping("/redrive-selected")
    SelectedRedrive redriveSelected(@Valid @RequestBody RedriveSelection selection) {
        return redriver.redriveSelected(selection.messageIds());
    }
}
