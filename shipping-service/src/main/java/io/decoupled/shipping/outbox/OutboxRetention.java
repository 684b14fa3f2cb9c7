package io.decoupled.shipping.outbox;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/** Deletes published rows after their retention; pending and parked rows are never deleted. */
class OutboxRetention {
    private static final Logger log = LoggerFactory.getLogger(OutboxRetention.class);

    private final OutboxRepository repository;
    private final OutboxProperties.Relay settings;
    private final Clock clock;

    OutboxRetention(OutboxRepository repository, OutboxProperties.Relay settings, Clock clock) {
        this.repository = repository;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void purge() {
        int deleted = repository.deletePublishedBefore(clock.instant().minus(settings.retention()));
        if (deleted > 0) {
            log.info("Deleted {} outbox rows published more than {} ago", deleted, settings.retention());
        }
    }
}
