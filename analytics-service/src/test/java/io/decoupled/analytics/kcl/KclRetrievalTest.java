package io.decoupled.analytics.kcl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.retrieval.fanout.FanOutConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/** One setting chooses how the KCL reads: polling by default, enhanced fan-out on the deployment's consumer. */
class KclRetrievalTest {
    private static final String CONSUMER =
            "arn:aws:kinesis:us-east-1:123456789012:stream/clickstream/consumer/analytics-clickstream:1700000000";

    @Test
    void pollingIsTheDefaultWithTheConfiguredIdleTime() {
        try (var kinesis = kinesis()) {
            var config =
                    KclWorker.retrievalFor(bind(Map.of("analytics.kcl.idle-time-between-reads", "700ms")), kinesis);
            assertThat(config).isInstanceOfSatisfying(PollingConfig.class, polling -> {
                assertThat(polling.idleTimeBetweenReadsInMillis()).isEqualTo(700);
                assertThat(polling.streamName()).isEqualTo("clickstream");
            });
        }
    }

    @Test
    void fanOutUsesTheRegisteredConsumerWhenOneIsGiven() {
        try (var kinesis = kinesis()) {
            var config = KclWorker.retrievalFor(
                    bind(Map.of("analytics.kcl.retrieval", "FAN_OUT", "analytics.kcl.consumer-arn", CONSUMER)),
                    kinesis);
            assertThat(config).isInstanceOfSatisfying(FanOutConfig.class, fanOut -> {
                assertThat(fanOut.consumerArn()).isEqualTo(CONSUMER);
                assertThat(fanOut.streamName()).isEqualTo("clickstream");
            });
            var registering = KclWorker.retrievalFor(bind(Map.of("analytics.kcl.retrieval", "FAN_OUT")), kinesis);
            assertThat(registering).isInstanceOfSatisfying(FanOutConfig.class, fanOut -> {
                assertThat(fanOut.consumerArn()).isNull();
                assertThat(fanOut.applicationName()).isEqualTo("analytics-service");
            });
        }
    }

    private static KclProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("analytics.kcl", KclProperties.class);
    }

    private static KinesisAsyncClient kinesis() {
        return KinesisAsyncClient.builder().region(Region.US_EAST_1).build();
    }
}
