package io.decoupled.analytics.kcl;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /analytics/clickstream/consumer: the KCL worker's own state, read-only, for the console's analytics panel. Present
 * exactly when the worker is (the conditions of {@link KclConfiguration}); elsewhere the path answers 404.
 */
@RestController
@ConditionalOnProperty(name = "analytics.kcl.enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnProperty(name = "analytics.clickstream.backend", havingValue = "kinesis", matchIfMissing = true)
class KclStatusController {
    private final KclWorker worker;

    KclStatusController(KclWorker worker) {
        this.worker = worker;
    }

    @GetMapping("/analytics/clickstream/consumer")
    KclStatus status() {
        return worker.status();
    }
}
