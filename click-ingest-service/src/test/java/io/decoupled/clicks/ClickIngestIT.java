package io.decoupled.clicks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.clicks.producer.BatchingKinesisProducer;
import io.decoupled.clicks.producer.KinesisClientCustomizer;
import io.decoupled.clicks.stream.PutRecordsFaultInjector;
import io.decoupled.clicks.stream.StreamRecords;
import io.decoupled.clicks.stream.StreamRecords.StreamRecord;
import io.decoupled.localaws.SharedAwsEnvironments;
import io.decoupled.topology.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The producer against kinesalite: every accepted click lands on the stream exactly once and in session
 * order, also when PutRecords rejects some entries, when whole calls are refused for the stream's KMS key or the
 * credentials, and when the stream is unreachable for longer than a caller waits; a final failure reaches a waiting
 * caller; a full buffer pushes back with 429.
 */
@SpringBootTest(
        properties = {
            "clickstream.producer.buffer-capacity=1000",
            "clickstream.producer.backoff-base=5ms",
            "clickstream.producer.backoff-max=100ms",
            "clicks.await-timeout=5s"
        })
@AutoConfigureMockMvc
@Import(ClickIngestIT.FaultInjection.class)
class ClickIngestIT {
    private static final Pattern CLICK_ID = Pattern.compile("\"clickId\":\"([^\"]+)\"");
    private static final Pattern TRACEPARENT = Pattern.compile("\"traceparent\":\"([^\"]+)\"");
    private static final Pattern PAGE = Pattern.compile("\"page\":\"/step/(\\d+)\"");

    @DynamicPropertySource
    static void aws(DynamicPropertyRegistry registry) {
        SharedAwsEnvironments.embedded().springProperties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @TestConfiguration
    static class FaultInjection {
        @Bean
        PutRecordsFaultInjector putRecordsFaultInjector() {
            return new PutRecordsFaultInjector();
        }

        @Bean
        KinesisClientCustomizer faultInjectingClient(PutRecordsFaultInjector injector) {
            return injector::installOn;
        }
    }

    @Autowired
    MockMvcTester mvc;

    @Autowired
    PutRecordsFaultInjector faults;

    @Autowired
    MeterRegistry meters;

    @Autowired
    BatchingKinesisProducer producer;

    private final KinesisClient kinesis = SharedAwsEnvironments.embedded().kinesis();
    private final String run = "r" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void healFaults() {
        faults.reset();
    }

    @Test
    void everyAcceptedClickIsOnTheStreamOnceAndInSessionOrder() {
        int callsBefore = faults.calls();
        postSteps(150, 20);

        var bySession = awaitSessions(150 * 20);
        assertThat(bySession)
                .hasSize(150)
                .allSatisfy((session, steps) -> assertThat(steps)
                        .as("steps of %s in shard order", session)
                        .containsExactlyElementsOf(range(20)));
        // Batching: far fewer PutRecords calls than clicks.
        assertThat(faults.calls() - callsBefore).isLessThan(3000 / 15);
    }

    @Test
    void partiallyFailedPutRecordsLoseNothingAndKeepSessionOrder() {
        double retriesBefore = counter("clickstream.producer.retries");
        double failuresBefore = counter("clickstream.producer.failures");
        faults.policy(PutRecordsFaultInjector.everyThirdEntryOnce(600));

        postSteps(100, 20);

        var bySession = awaitSessions(100 * 20);
        assertThat(bySession)
                .hasSize(100)
                .allSatisfy((session, steps) -> assertThat(steps)
                        .as("steps of %s in shard order", session)
                        .containsExactlyElementsOf(range(20)));
        assertThat(faults.injected()).as("entries failed by the injector").isEqualTo(600);
        assertThat(counter("clickstream.producer.retries") - retriesBefore)
                .as("retries: only the failed entries")
                .isEqualTo(faults.injected());
        assertThat(counter("clickstream.producer.failures") - failuresBefore).isZero();
    }

    @Test
    void aRecordTheStreamRefusesAsSuchIsReportedToTheWaitingCaller() {
        var doomed = run + "-doomed";
        // An entry error that judges the record, not the stream (throttling, internal failures, KMS and access
        // refusals are retried for as long as the service runs).
        faults.policy(PutRecordsFaultInjector.partitionKey(doomed), "InvalidArgumentException");
        double failuresBefore = counter("clickstream.producer.failures");

        var result = mvc.post()
                .uri("/clicks?await=true")
                .contentType(MediaType.APPLICATION_JSON)
                .content("[" + click(doomed, "/step/0") + "," + click(run + "-fine", "/step/0") + "]")
                .exchange();

        assertThat(result)
                .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.errorCode")
                .isEqualTo("InvalidArgumentException");
        assertThat(counter("clickstream.producer.failures") - failuresBefore).isEqualTo(1);
        var onStream = records().stream()
                .map(StreamRecord::partitionKey)
                .filter(k -> k.startsWith(run))
                .toList();
        assertThat(onStream).containsExactly(run + "-fine");
    }

    /**
     * Kinesis answers 400 to the whole call when the stream's KMS key throttles or the credentials expired: no entry
     * was stored and none is at fault. Every click answered 202 meanwhile is written once the stream takes calls again;
     * none is failed (no failure counted, and the producer ends up holding nothing, so every future completed
     * normally).
     */
    @Test
    void wholeCallsRefusedForTheKmsKeyOrTheCredentialsLoseNothing() {
        double failuresBefore = counter("clickstream.producer.failures");
        faults.refuseCalls(PutRecordsFaultInjector.refusedWith(400, "KMSThrottlingException"));

        postSteps(50, 2);

        for (var code : List.of("KMSThrottlingException", "ExpiredTokenException", "AccessDeniedException")) {
            faults.refuseCalls(PutRecordsFaultInjector.refusedWith(400, code));
            int refusedBefore = faults.refused();
            await().atMost(Duration.ofSeconds(30)).until(() -> faults.refused() >= refusedBefore + 5);
            assertThat(counter("clickstream.producer.failures") - failuresBefore)
                    .as("records failed while calls are refused with %s", code)
                    .isZero();
        }
        faults.heal();

        var bySession = awaitSessions(50 * 2);
        assertThat(bySession)
                .hasSize(50)
                .allSatisfy((session, steps) -> assertThat(steps)
                        .as("steps of %s in shard order", session)
                        .containsExactlyElementsOf(range(2)));
        assertThat(counter("clickstream.producer.failures") - failuresBefore).isZero();
    }

    /**
     * The stream unreachable for longer than a caller waits (and longer than the retry budget the producer used to
     * give a record, after which it dropped what it had answered 202): the waiting caller gets 202, still buffered;
     * the buffer fills and stays full, so later requests get 429 instead of being accepted and dropped; once the
     * stream is back every accepted click is written exactly once.
     */
    @Test
    void anOutageLongerThanACallerWaitsLosesNothingAndPushesBackMeanwhile() {
        await().atMost(Duration.ofSeconds(30)).until(() -> producer.held() == 0);
        double failuresBefore = counter("clickstream.producer.failures");
        faults.refuseCalls(PutRecordsFaultInjector.unreachable());

        var awaited = mvc.post()
                .uri("/clicks?await=true")
                .contentType(MediaType.APPLICATION_JSON)
                .content(clicks(0, 100, 0))
                .exchange();
        assertThat(awaited)
                .hasStatus(HttpStatus.ACCEPTED)
                .bodyJson()
                .extractingPath("$.written")
                .isEqualTo(false);
        int accepted = 1;
        MvcTestResult refused = null;
        for (int request = 1; request < 20 && refused == null; request++) {
            var result = post(clicks(request, 100, 0));
            if (result.getResponse().getStatus() == HttpStatus.ACCEPTED.value()) {
                accepted++;
            } else {
                refused = result;
            }
        }
        assertThat(accepted).as("requests of 100 that fit a buffer of 1000").isEqualTo(10);
        assertThat(refused).hasStatus(HttpStatus.TOO_MANY_REQUESTS);

        // The outage goes on: nothing is given up on, so the buffer stays full and still pushes back.
        int refusedBefore = faults.refused();
        await().atMost(Duration.ofSeconds(30)).until(() -> faults.refused() >= refusedBefore + 20);
        assertThat(producer.held()).isEqualTo(1000);
        assertThat(post(clicks(20, 100, 0))).hasStatus(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(counter("clickstream.producer.failures") - failuresBefore).isZero();

        faults.heal();
        assertThat(awaitSessions(1000)).hasSize(1000);
        assertThat(counter("clickstream.producer.failures") - failuresBefore).isZero();
    }

    @Test
    void aClientResendingWithItsOwnClickIdsWritesTheSameIdsSoThatAnalyticsCountsThemOnce() {
        var session = run + "-resent";
        var ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        var body = "[" + click(ids.get(0), session, "/step/0") + "," + click(ids.get(1), session, "/step/1") + "]";
        // The first answer never reached the client (a timeout, a dropped connection): it sends the request again.
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThat(post(body))
                    .hasStatus(HttpStatus.ACCEPTED)
                    .bodyJson()
                    .extractingPath("$.clickIds")
                    .asArray()
                    .containsExactlyElementsOf(ids);
        }

        var onStream = new ArrayList<String>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    onStream.clear();
                    records().stream()
                            .filter(r -> r.partitionKey().equals(session))
                            .map(r -> extract(CLICK_ID, r.data()))
                            .forEach(onStream::add);
                    assertThat(onStream).hasSize(4);
                });
        // Both copies carry the client's ids, the key analytics deduplicates on
        // (ClickstreamConsumerContract.everyClickIsCountedExactlyOnceAndInSessionOrderEvenWhenDeliveredTwice).
        assertThat(onStream).containsExactly(ids.get(0), ids.get(1), ids.get(0), ids.get(1));
    }

    @Test
    void theRequestsTraceIdTravelsInTheRecord() {
        var traceId = UUID.randomUUID().toString().replace("-", "");
        var session = run + "-traced";
        var result = mvc.post()
                .uri("/clicks")
                .contentType(MediaType.APPLICATION_JSON)
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .content(click(session, "/step/0"))
                .exchange();
        assertThat(result).hasStatus(HttpStatus.ACCEPTED);

        var record = new ArrayList<StreamRecord>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    record.clear();
                    records().stream()
                            .filter(r -> r.partitionKey().equals(session))
                            .forEach(record::add);
                    assertThat(record).hasSize(1);
                });
        // Same trace as the request, the span that accepted it, sampled.
        assertThat(extract(TRACEPARENT, record.getFirst().data())).matches("00-" + traceId + "-[0-9a-f]{16}-01");
    }

    @Test
    void aFullBufferAnswers429AndAcceptsAgainOnceItDrains() {
        faults.close();
        int accepted = 0;
        MvcTestResult refused = null;
        for (int request = 0; request < 20 && refused == null; request++) {
            var result = post(clicks(request, 100, 0));
            if (result.getResponse().getStatus() == HttpStatus.ACCEPTED.value()) {
                accepted++;
            } else {
                refused = result;
            }
        }
        assertThat(accepted).as("requests of 100 that fit a buffer of 1000").isEqualTo(10);
        assertThat(refused)
                .hasStatus(HttpStatus.TOO_MANY_REQUESTS)
                .hasHeader("Retry-After", "1")
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(gauge("clickstream.producer.buffer.fill")).isEqualTo(1.0);

        faults.open();
        assertThat(awaitSessions(1000)).hasSize(1000);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(gauge("clickstream.producer.buffer.fill")).isZero());
        assertThat(post(clicks(99, 100, 0))).hasStatus(HttpStatus.ACCEPTED);
    }

    @Test
    void reportsHealthyAndExposesTheProducerMetricsToPrometheusOnly() {
        assertThat(mvc.get().uri("/actuator/health"))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.status")
                .isEqualTo("UP");
        var scrape = mvc.get().uri("/actuator/prometheus").exchange();
        assertThat(scrape).hasStatusOk();
        for (var metric : List.of(
                "records",
                "batch.records",
                "retries",
                "failures",
                "rejected",
                "buffer.fill",
                "buffer.records",
                "put")) {
            assertThat(scrape)
                    .body()
                    .asString()
                    .as(metric)
                    .contains("clickstream_producer_" + metric.replace('.', '_'));
        }
        // actuator shows health and prometheus, nothing else (docs/security.md)
        for (var hidden : List.of(
                "/actuator/metrics", "/actuator/env", "/actuator/beans", "/actuator/heapdump", "/actuator/info")) {
            assertThat(mvc.get().uri(hidden)).as(hidden).hasStatus(HttpStatus.NOT_FOUND);
        }
        // The cost meter's counters (platform/aws-calls) are on the producer's own Kinesis client too.
        postSteps(3, 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var calls = meters.find("aws.requests")
                    .tag("aws.service", "Kinesis")
                    .tag("operation", "PutRecords")
                    .counter();
            var unbatched = meters.find("aws.requests.unbatched")
                    .tag("aws.service", "Kinesis")
                    .tag("operation", "PutRecords")
                    .counter();
            assertThat(calls).isNotNull();
            assertThat(unbatched).isNotNull();
            assertThat(unbatched.count()).isGreaterThanOrEqualTo(calls.count());
        });
    }

    /** Posts {@code steps} rounds; each round is one request with one click per session, so sessions span many batches. */
    private void postSteps(int sessions, int steps) {
        for (int step = 0; step < steps; step++) {
            var body = clicks(0, sessions, step);
            // A client honouring 429: send the same request again until the buffer has room.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> post(body).getResponse().getStatus() == HttpStatus.ACCEPTED.value());
        }
    }

    private String clicks(int group, int sessions, int step) {
        return IntStream.range(0, sessions)
                .mapToObj(s -> click(run + "-g" + group + "-s" + s, "/step/" + step))
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String click(String clickId, String session, String page) {
        return "{\"clickId\":\"" + clickId + "\"," + click(session, page).substring(1);
    }

    private static String click(String session, String page) {
        return "{\"sessionId\":\"" + session + "\",\"page\":\"" + page + "\",\"timestamp\":\"" + Instant.now() + "\"}";
    }

    private MvcTestResult post(String body) {
        return mvc.post()
                .uri("/clicks")
                .contentType(MediaType.APPLICATION_JSON)
                .content(body)
                .exchange();
    }

    /**
     * Waits for this run's clicks on the stream; returns each session's steps in shard (sequence) order. The
     * exact count is checked only once the producer holds nothing (no record waiting, in flight or waiting for a
     * retry), and on a fresh read after that: a duplicate written late, by a retry of an entry that had in fact
     * been stored, would otherwise slip past a check made the moment the count first reached its target.
     */
    private Map<String, List<Integer>> awaitSessions(int expected) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    assertThat(producer.held())
                            .as("records the producer still holds")
                            .isZero();
                    assertThat(mine()).hasSizeGreaterThanOrEqualTo(expected);
                });
        var mine = mine();
        var clickIds = mine.stream().map(r -> extract(CLICK_ID, r.data())).toList();
        assertThat(clickIds).as("each click exactly once").hasSize(expected).doesNotHaveDuplicates();
        var bySession = new LinkedHashMap<String, List<Integer>>();
        for (var record : mine) {
            bySession
                    .computeIfAbsent(record.partitionKey(), k -> new ArrayList<>())
                    .add(Integer.parseInt(extract(PAGE, record.data())));
        }
        return bySession;
    }

    private List<StreamRecord> mine() {
        return records().stream().filter(r -> r.partitionKey().startsWith(run)).toList();
    }

    private List<StreamRecord> records() {
        return StreamRecords.readAll(kinesis, Topology.CLICKSTREAM);
    }

    private static String extract(Pattern pattern, String data) {
        var matcher = pattern.matcher(data);
        assertThat(matcher.find()).as("%s in %s", pattern, data).isTrue();
        return matcher.group(1);
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }
}
