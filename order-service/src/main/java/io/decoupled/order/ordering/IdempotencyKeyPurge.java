package io.decoupled.order.ordering;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Forgets Idempotency-Keys after their retention, so the table does not grow without bound. */
@Component
class IdempotencyKeyPurge {
    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyPurge.class);

    private final IdempotencyKeys keys;
    private final OrderingProperties properties;
    private final Clock clock;

    IdempotencyKeyPurge(IdempotencyKeys keys, OrderingProperties properties, Clock clock) {
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    void purge() {
        int removed = keys.purgeOlderThan(clock.instant().minus(properties.idempotencyKeyRetention()));
        if (removed > 0) {
            log.info("Forgot {} Idempotency-Keys older than {}", removed, properties.idempotencyKeyRetention());
        }
    }
}
