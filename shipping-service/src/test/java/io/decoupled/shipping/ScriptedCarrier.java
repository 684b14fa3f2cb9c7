package io.decoupled.shipping;

import io.decoupled.shipping.carrier.Carrier;
import io.decoupled.shipping.carrier.CarrierBooking;
import io.decoupled.shipping.carrier.CarrierUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A carrier whose latency and failures a test scripts per order (pure logic, not a stand-in for AWS), and
 * which records every booking attempt so tests can count and time them.
 */
public final class ScriptedCarrier implements Carrier {
    private final Map<UUID, Duration> latency = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Map<UUID, List<Instant>> attempts = new ConcurrentHashMap<>();
    private final Map<UUID, CountDownLatch> held = new ConcurrentHashMap<>();
    private volatile Duration defaultLatency = Duration.ofMillis(20);

    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {
        @Bean
        @Primary
        ScriptedCarrier scriptedCarrier() {
            return new ScriptedCarrier();
        }
    }

    public void defaultLatency(Duration latency) {
        this.defaultLatency = latency;
    }

    public void latency(UUID orderId, Duration latency) {
        this.latency.put(orderId, latency);
    }

    public void failTimes(UUID orderId, int times) {
        failures.put(orderId, new AtomicInteger(times));
    }

    /** Bookings for this order wait until {@link #release} (a slow carrier whose answer the test decides). */
    public void hold(UUID orderId) {
        held.put(orderId, new CountDownLatch(1));
    }

    public void release(UUID orderId) {
        var latch = held.remove(orderId);
        if (latch != null) {
            latch.countDown();
        }
    }

    public List<Instant> attempts(UUID orderId) {
        return List.copyOf(attempts.getOrDefault(orderId, List.of()));
    }

    @Override
    public CarrierBooking book(UUID idempotencyKey, UUID orderId, String country) {
        attempts.computeIfAbsent(orderId, id -> new CopyOnWriteArrayList<>()).add(Instant.now());
        try {
            var latch = held.get(orderId);
            if (latch != null && !latch.await(2, TimeUnit.MINUTES)) {
                throw new CarrierUnavailableException("held booking of " + orderId + " was never released");
            }
            Thread.sleep(latency.getOrDefault(orderId, defaultLatency));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CarrierUnavailableException("interrupted");
        }
        var left = failures.get(orderId);
        if (left != null && left.getAndDecrement() > 0) {
            throw new CarrierUnavailableException("scripted outage for " + orderId);
        }
        return new CarrierBooking("DHL", "TRACK-" + idempotencyKey.toString().substring(0, 8));
    }
}
