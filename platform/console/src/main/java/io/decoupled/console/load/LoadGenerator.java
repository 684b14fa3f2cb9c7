package io.decoupled.console.load;

import io.decoupled.console.queues.PoisonInjector;
import io.decoupled.console.services.ServicesProperties;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Open-loop load: orders and clicks at a set rate whatever the services' latency (a closed loop would slow
 * down exactly when the system struggles and hide the backlog the dashboard is there to show). A bound on
 * requests in flight keeps a dead service from piling up threads; ticks beyond it are counted as skipped.
 * Bursts send many orders at once to make the autoscaler and the queues move; a share of poison messages
 * goes straight to shipping-orders to exercise the DLQ.
 */
@Component
public class LoadGenerator {
    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration RATE_WINDOW = Duration.ofSeconds(10);

    private final LoadProperties properties;
    private final ServicesProperties services;
    private final PoisonInjector poison;
    private final Clock clock;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Traffic traffic;
    private final Random random = new Random();
    private final Semaphore inFlight;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        var t = new Thread(r, "load-generator");
        t.setDaemon(true);
        return t;
    });

    private final AtomicLong ordersSent = new AtomicLong();
    private final AtomicLong ordersAccepted = new AtomicLong();
    private final AtomicLong ordersRejected = new AtomicLong();
    private final AtomicLong ordersFailed = new AtomicLong();
    private final AtomicLong clicksSent = new AtomicLong();
    private final AtomicLong clicksAccepted = new AtomicLong();
    private final AtomicLong clicksThrottled = new AtomicLong();
    private final AtomicLong clicksRejected = new AtomicLong();
    private final AtomicLong clicksFailed = new AtomicLong();
    private final AtomicLong bursts = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    private volatile boolean running;
    private boolean opened;
    private volatile LoadProgress.Rates rates;
    private volatile String lastProblem;
    private final ApiCredentials credentials;
    private double orderCredit;
    private double clickCredit;
    private Instant lastLog = Instant.MIN;

    private record Sample(Instant at, long orders, long clicks) {}

    @Autowired
    LoadGenerator(LoadProperties properties, ServicesProperties services, PoisonInjector poison) {
        this(properties, services, poison, Clock.systemUTC());
    }

    LoadGenerator(LoadProperties properties, ServicesProperties services, PoisonInjector poison, Clock clock) {
        this.properties = properties;
        this.services = services;
        this.poison = poison;
        this.clock = clock;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.credentials = new ApiCredentials(properties.auth(), http, json, clock);
        this.traffic =
                new Traffic(random, properties, UUID.randomUUID().toString().substring(0, 8));
        this.inFlight = new Semaphore(properties.concurrency());
        this.rates = new LoadProgress.Rates(
                properties.ordersPerSecond(), properties.clicksPerSecond(), properties.poisonShare());
    }

    /**
     * Starts the ticker that paces the load (and samples the rates); idempotent. The application context calls it
     * through {@link LoadGeneratorLifecycle}; {@link #start()} calls it too, for a generator made outside one.
     */
    synchronized void open() {
        if (!opened) {
            opened = true;
            ticker.scheduleAtFixedRate(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Turns the load on (the dashboard's button, or the lifecycle when {@code console.load.enabled}). */
    public void start() {
        open();
        if (!running) {
            running = true;
            log.info(
                    "load generator started: {} orders/s, {} clicks/s, poison share {}",
                    rates.ordersPerSecond(),
                    rates.clicksPerSecond(),
                    rates.poisonShare());
        }
    }

    public void stop() {
        if (running) {
            running = false;
            log.info("load generator stopped: {}", summary(progress()));
        }
    }

    public void setRates(LoadProgress.Rates rates) {
        this.rates = rates;
        log.info(
                "load generator rates: {} orders/s, {} clicks/s, poison share {}",
                rates.ordersPerSecond(),
                rates.clicksPerSecond(),
                rates.poisonShare());
    }

    /** Sends {@code count} orders now, as fast as the in-flight bound allows; returns at once. */
    public void burst(int count) {
        bursts.incrementAndGet();
        log.info("burst of {} orders", count);
        senders.submit(() -> {
            for (int i = 0; i < count; i++) {
                try {
                    inFlight.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                senders.submit(() -> {
                    try {
                        sendOrder();
                    } finally {
                        inFlight.release();
                    }
                });
            }
        });
    }

    public int defaultBurstSize() {
        return properties.burstSize();
    }

    public LoadProgress progress() {
        var now = clock.instant();
        double ordersRate = 0;
        double clicksRate = 0;
        synchronized (samples) {
            if (!samples.isEmpty()) {
                var oldest = samples.peekFirst();
                double seconds =
                        Math.max(0.001, Duration.between(oldest.at(), now).toMillis() / 1000.0);
                ordersRate = (ordersAccepted.get() - oldest.orders()) / seconds;
                clicksRate = (clicksAccepted.get() - oldest.clicks()) / seconds;
            }
        }
        return new LoadProgress(
                running,
                rates,
                ordersSent.get(),
                ordersAccepted.get(),
                ordersRejected.get(),
                ordersFailed.get(),
                clicksSent.get(),
                clicksAccepted.get(),
                clicksThrottled.get(),
                clicksRejected.get(),
                clicksFailed.get(),
                poison.injected(),
                bursts.get(),
                skipped.get(),
                ordersRate,
                clicksRate,
                lastProblem);
    }

    private void tick() {
        try {
            var now = clock.instant();
            sample(now);
            if (running) {
                var r = rates;
                double seconds = TICK.toMillis() / 1000.0;
                orderCredit += r.ordersPerSecond() * seconds;
                clickCredit += r.clicksPerSecond() * seconds;
                int orders = (int) orderCredit;
                int clicks = (int) clickCredit;
                orderCredit -= orders;
                clickCredit -= clicks;
                for (int i = 0; i < orders; i++) {
                    boolean isPoison = random.nextDouble() < r.poisonShare();
                    submit(isPoison ? this::sendPoison : this::sendOrder);
                }
                if (clicks > 0) {
                    submit(() -> sendClicks(clicks, now));
                }
            }
            logProgress(now);
        } catch (RuntimeException e) {
            log.warn("load generator tick failed", e);
        }
    }

    private void submit(Runnable request) {
        if (!inFlight.tryAcquire()) {
            skipped.incrementAndGet();
            return;
        }
        senders.submit(() -> {
            try {
                request.run();
            } finally {
                inFlight.release();
            }
        });
    }

    private void sendOrder() {
        ordersSent.incrementAndGet();
        var request = authorized(HttpRequest.newBuilder(services.orderUrl().resolve("/orders"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(traffic.order()))));
        if (request == null) {
            ordersFailed.incrementAndGet();
            return;
        }
        int status = send(request, "order-service");
        if (status >= 200 && status < 300) {
            ordersAccepted.incrementAndGet();
        } else if (status >= 400 && status < 500) {
            ordersRejected.incrementAndGet();
        } else {
            ordersFailed.incrementAndGet();
        }
    }

    private void sendClicks(int count, Instant now) {
        clicksSent.addAndGet(count);
        var request = authorized(HttpRequest.newBuilder(services.clickUrl().resolve("/clicks"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(traffic.clicks(count, now)))));
        if (request == null) {
            clicksFailed.addAndGet(count);
            return;
        }
        int status = send(request, "click-ingest-service");
        if (status >= 200 && status < 300) {
            clicksAccepted.addAndGet(count);
        } else if (status == 429) {
            clicksThrottled.addAndGet(count);
        } else if (status >= 400 && status < 500) {
            clicksRejected.addAndGet(count);
        } else {
            clicksFailed.addAndGet(count);
        }
    }

    private void sendPoison() {
        try {
            poison.inject();
        } catch (RuntimeException e) {
            lastProblem = "poison message not sent: " + e.getMessage();
        }
    }

    /** The status code, or 0 when the service did not answer. */
    /** The request with its bearer token where one is configured; null (and the reason shown) when none could be had. */
    private HttpRequest authorized(HttpRequest.Builder request) {
        try {
            credentials.authorization().ifPresent(value -> request.header("Authorization", value));
            return request.build();
        } catch (IllegalStateException e) {
            lastProblem = "no API token: " + e.getMessage();
            return null;
        }
    }

    private int send(HttpRequest request, String service) {
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400 && response.statusCode() != 429) {
                lastProblem = service + " answered " + response.statusCode() + ": " + abbreviate(response.body());
            }
            return response.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (IOException e) {
            lastProblem = service + " did not answer at " + request.uri() + " ("
                    + e.getClass().getSimpleName() + ")";
            return 0;
        }
    }

    private void sample(Instant now) {
        synchronized (samples) {
            samples.addLast(new Sample(now, ordersAccepted.get(), clicksAccepted.get()));
            while (samples.size() > 1 && samples.peekFirst().at().isBefore(now.minus(RATE_WINDOW))) {
                samples.removeFirst();
            }
        }
    }

    private void logProgress(Instant now) {
        if (!running || Duration.between(lastLog, now).compareTo(properties.progressLogInterval()) < 0) {
            return;
        }
        if (!lastLog.equals(Instant.MIN)) {
            log.info(summary(progress()));
        }
        lastLog = now;
    }

    static String summary(LoadProgress p) {
        return String.format(
                "load: orders %d accepted (%.1f/s), %d rejected, %d failed | clicks %d accepted (%.1f/s), %d throttled, "
                        + "%d failed | %d poison | %d skipped%s",
                p.ordersAccepted(),
                p.ordersAcceptedPerSecond(),
                p.ordersRejected(),
                p.ordersFailed(),
                p.clicksAccepted(),
                p.clicksAcceptedPerSecond(),
                p.clicksThrottled(),
                p.clicksFailed(),
                p.poisonInjected(),
                p.skipped(),
                p.lastProblem() == null ? "" : " | last problem: " + p.lastProblem());
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 160 ? text.substring(0, 160) + "…" : text;
    }

    /** Stops the load and the ticker for good (the lifecycle's stop, first at shutdown). */
    void close() {
        running = false;
        ticker.shutdownNow();
        senders.shutdownNow();
    }
}
