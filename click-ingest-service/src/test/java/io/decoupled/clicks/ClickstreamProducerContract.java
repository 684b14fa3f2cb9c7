package io.decoupled.clicks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.decoupled.clicks.producer.ClickstreamProducer;
import io.decoupled.clicks.stream.StreamRecords.StreamRecord;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * The producer port's promises, the same on every backend (one subclass per broker): every accepted click is on the
 * stream exactly once, keyed by its session, on one shard or partition per session and in session order; a request
 * the bounded buffer cannot take is refused whole with 429 and Retry-After; {@code ?await=true} answers 200 only once
 * the clicks are durable on the stream. Each subclass sets the backend and a buffer of {@value #BUFFER} records.
 */
@SpringBootTest(properties = "clicks.await-timeout=30s")
@AutoConfigureMockMvc
@DirtiesContext
abstract class ClickstreamProducerContract {
    static final int BUFFER = 50;
    private static final Pattern CLICK_ID = Pattern.compile("\"clickId\":\"([^\"]+)\"");
    private static final Pattern PAGE = Pattern.compile("\"page\":\"/step/(\\d+)\"");

    /** Everything on this backend's stream or topic, shard by shard (partition by partition), each in its order. */
    abstract List<StreamRecord> records();

    @Autowired
    MockMvcTester mvc;

    @Autowired
    ClickstreamProducer producer;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ApplicationContext context;

    final String run = "r" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void everyAcceptedClickIsOnTheStreamOnceKeyedBySessionAndInSessionOrder() {
        int sessions = 40;
        int steps = 10;
        for (int step = 0; step < steps; step++) {
            var body = clicks(run, sessions, step);
            // A client honouring 429: the same request again until the buffer has room (nothing of a refused one was
            // taken).
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> post(body).getResponse().getStatus() == HttpStatus.ACCEPTED.value());
        }

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    assertThat(producer.held())
                            .as("records the producer still holds")
                            .isZero();
                    assertThat(mine()).hasSizeGreaterThanOrEqualTo(sessions * steps);
                });
        var mine = mine();
        assertThat(mine.stream().map(r -> extract(CLICK_ID, r.data())).toList())
                .as("each click exactly once")
                .hasSize(sessions * steps)
                .doesNotHaveDuplicates();
        var steps0 = new LinkedHashMap<String, List<Integer>>();
        var placement = new LinkedHashMap<String, Set<String>>();
        for (var record : mine) {
            steps0.computeIfAbsent(record.partitionKey(), k -> new ArrayList<>())
                    .add(Integer.parseInt(extract(PAGE, record.data())));
            placement
                    .computeIfAbsent(record.partitionKey(), k -> new HashSet<>())
                    .add(record.shardId());
        }
        assertThat(steps0)
                .hasSize(sessions)
                .allSatisfy((session, seen) -> assertThat(seen)
                        .as("steps of %s in stream order", session)
                        .containsExactlyElementsOf(
                                IntStream.range(0, steps).boxed().toList()));
        assertThat(placement)
                .allSatisfy((session, where) ->
                        assertThat(where).as("where %s went", session).hasSize(1));
        assertThat(placement.values().stream().flatMap(Set::stream).distinct().count())
                .as("sessions spread over shards")
                .isGreaterThan(1);
    }

    @Test
    void aRequestTheBufferCannotTakeIsRefusedWholeWith429AndNothingOfItIsWritten() {
        double rejectedBefore =
                meters.get("clickstream.producer.rejected").counter().count();
        var tooMany = post(clicks(run + "-big", BUFFER + 10, 0));
        assertThat(tooMany)
                .hasStatus(HttpStatus.TOO_MANY_REQUESTS)
                .hasHeader("Retry-After", "1")
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(meters.get("clickstream.producer.rejected").counter().count() - rejectedBefore)
                .isEqualTo(BUFFER + 10);

        // A later click, awaited: once it is on the stream, anything of the refused request would be too.
        assertThat(mvc.post()
                        .uri("/clicks?await=true")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(clicks(run + "-after", 1, 0))
                        .exchange())
                .hasStatus(HttpStatus.OK);
        var keys = records().stream()
                .map(StreamRecord::partitionKey)
                .filter(k -> k.startsWith(run))
                .toList();
        assertThat(keys).contains(run + "-after-s0").noneMatch(k -> k.startsWith(run + "-big"));
    }

    @Test
    void awaitAnswers200OnlyOnceTheClicksAreDurableOnTheStream() {
        var result = mvc.post()
                .uri("/clicks?await=true")
                .contentType(MediaType.APPLICATION_JSON)
                .content(clicks(run + "-await", 10, 0))
                .exchange();
        assertThat(result)
                .hasStatus(HttpStatus.OK)
                .bodyJson()
                .extractingPath("$.written")
                .isEqualTo(true);
        // Read once, without waiting: the 200 itself says they are there.
        assertThat(records())
                .filteredOn(r -> r.partitionKey().startsWith(run + "-await"))
                .hasSize(10);
        assertThat(meters.get("clickstream.producer.records").counter().count()).isGreaterThanOrEqualTo(10);
    }

    private List<StreamRecord> mine() {
        return records().stream()
                .filter(r -> r.partitionKey().startsWith(run + "-s"))
                .toList();
    }

    static String clicks(String prefix, int sessions, int step) {
        return IntStream.range(0, sessions)
                .mapToObj(s -> "{\"sessionId\":\"" + prefix + "-s" + s + "\",\"page\":\"/step/" + step
                        + "\",\"timestamp\":\"" + Instant.now() + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private MvcTestResult post(String body) {
        return mvc.post()
                .uri("/clicks")
                .contentType(MediaType.APPLICATION_JSON)
                .content(body)
                .exchange();
    }

    private static String extract(Pattern pattern, String data) {
        var matcher = pattern.matcher(data);
        assertThat(matcher.find()).as("%s in %s", pattern, data).isTrue();
        return matcher.group(1);
    }

    /** For the subclasses: the backend's properties as a map the {@code @DynamicPropertySource} registers. */
    static Map<String, String> withBuffer(Map<String, String> properties, String bufferProperty) {
        var all = new LinkedHashMap<>(properties);
        all.put(bufferProperty, Integer.toString(BUFFER));
        return all;
    }
}
