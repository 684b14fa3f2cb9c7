package io.decoupled.console.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CostMeterTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void prometheusCountersAreReadByServiceAwsServiceAndOperation() {
        var counts = new TreeMap<CostMeter.Key, double[]>();
        CostMeter.parse("order-service", """
                # HELP aws_requests_total AWS API requests sent
                # TYPE aws_requests_total counter
                aws_requests_total{application="order-service",aws_service="Sns",operation="PublishBatch"} 12.0
                aws_requests_unbatched_total{application="order-service",aws_service="Sns",operation="PublishBatch"} 100.0
                aws_requests_total{aws_service="Sqs",operation="ReceiveMessage"} 3
                http_server_requests_seconds_count{uri="/orders"} 7
                """, counts);

        assertThat(counts.get(new CostMeter.Key("order-service", "Sns", "PublishBatch")))
                .containsExactly(12.0, 100.0);
        assertThat(counts.get(new CostMeter.Key("order-service", "Sqs", "ReceiveMessage")))
                .containsExactly(3.0, 0.0);
        assertThat(counts).hasSize(2);
    }

    @Test
    void callsArePricedPerMillionOrdersAndClicksAgainstTheirUnbatchedCount() {
        var from = new CostMeter.Reading(T0, Map.of(), 0, 0);
        var to = new CostMeter.Reading(
                T0.plusSeconds(60),
                Map.of(
                        new CostMeter.Key("order-service", "Sns", "PublishBatch"), new double[] {100, 1000},
                        new CostMeter.Key("shipping-service", "Sqs", "ReceiveMessage"), new double[] {200, 2000},
                        new CostMeter.Key("click-ingest-service", "Kinesis", "PutRecords"), new double[] {10, 5000}),
                1000,
                5000);

        var view = CostMeter.view(from, to);

        // Orders: 100 publishes at $0.50/M and 200 receives at $0.40/M for 1000 orders.
        double orders = (100 * 0.50 + 200 * 0.40) / 1_000_000;
        assertThat(view.perMillionOrders().actual()).isCloseTo(orders / 1000 * 1_000_000, within(1e-9));
        assertThat(view.perMillionOrders().unbatched())
                .isCloseTo((1000 * 0.50 + 2000 * 0.40) / 1_000_000 / 1000 * 1_000_000, within(1e-9));
        // Kinesis bills each record: batching 5000 records into 10 calls saves calls, not dollars.
        assertThat(view.perMillionClicks().actual()).isCloseTo(0.014, within(1e-9));
        assertThat(view.perMillionClicks().unbatched()).isCloseTo(0.014, within(1e-9));
        assertThat(view.savings()).extracting(CostView.Saving::callsAvoided).contains(900.0, 1800.0, 4990.0);
        assertThat(view.region()).isEqualTo("us-east-1");
    }

    @Test
    void nothingToDivideByIsNoPriceNotInfinity() {
        var view = CostMeter.view(
                new CostMeter.Reading(T0, Map.of(), 5, 5),
                new CostMeter.Reading(
                        T0.plusSeconds(5),
                        Map.of(new CostMeter.Key("order-service", "Sqs", "ReceiveMessage"), new double[] {1, 20}),
                        5,
                        5));

        assertThat(view.perMillionOrders().actual()).isNull();
        assertThat(view.calls())
                .singleElement()
                .extracting(CostView.Row::requests)
                .isEqualTo(1.0);
    }

    @Test
    void theMeterCountsFromItsFirstReadingAndSaysWhenNoServiceReportsCalls() {
        var silent = new CostMeter(
                (base, path) -> Optional.empty(),
                Map.of("order-service", URI.create("http://127.0.0.1:1")),
                Clock.systemUTC());
        assertThat(silent.read(0L, 0L).reason()).contains("no service reported", "order-service");

        var scrape = new String[] {"aws_requests_total{aws_service=\"Sqs\",operation=\"ReceiveMessage\"} 5\n"};
        var now = new Instant[] {T0};
        var clock = Clock.fixed(T0, ZoneOffset.UTC);
        var meter = new CostMeter(
                (base, path) -> Optional.of(scrape[0]),
                Map.of("shipping-service", URI.create("http://shipping")),
                new Clock() {
                    @Override
                    public ZoneOffset getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(ZoneId zone) {
                        return clock;
                    }

                    @Override
                    public Instant instant() {
                        return now[0];
                    }
                });
        var first = meter.read(10L, 0L);
        assertThat(first.available()).isTrue();
        assertThat(first.data().calls()).isEmpty();

        scrape[0] = "aws_requests_total{aws_service=\"Sqs\",operation=\"ReceiveMessage\"} 9\n";
        assertThat(meter.read(12L, 0L).data().calls())
                .as("within %s the meter answers from its last scrape", CostMeter.EVERY)
                .isEmpty();
        now[0] = T0.plus(CostMeter.EVERY);
        var later = meter.read(12L, 0L).data();
        assertThat(later.calls())
                .singleElement()
                .extracting(CostView.Row::requests)
                .isEqualTo(4.0);
        assertThat(later.orders()).isEqualTo(2);
    }
}
