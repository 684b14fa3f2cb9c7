package io.decoupled.order.shipment;

import static org.awaitility.Awaitility.await;

import io.awspring.cloud.autoconfigure.sqs.SqsAsyncClientCustomizer;
import io.decoupled.localaws.BenchmarkReport;
import io.decoupled.localaws.LocalPostgres;
import io.decoupled.localaws.SharedAwsEnvironments;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Benchmark (profile {@code benchmark}, docs/benchmarks.md): the FIFO listener's cost when there is nothing to do,
 * ReceiveMessage calls per minute on an idle queue with the production long-poll setting, counted on this context's
 * own client (another context's listener on the same queue does not count). It takes a minute and a context of its own.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
@SpringBootTest(properties = {"spring.cloud.aws.sqs.listener.poll-timeout=20s", "order.outbox.relay.enabled=false"})
@Import(IdleListenerBenchmarkIT.CountReceives.class)
class IdleListenerBenchmarkIT {

    static final AtomicInteger RECEIVES = new AtomicInteger();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        SharedAwsEnvironments.embedded().springProperties().forEach((key, value) -> registry.add(key, () -> value));
        LocalPostgres.shared().springProperties("orders_idle").forEach((key, value) -> registry.add(key, () -> value));
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class CountReceives {
        @Bean
        SqsAsyncClientCustomizer countReceives() {
            return builder -> builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                    .addExecutionInterceptor(new ExecutionInterceptor() {
                        @Override
                        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                            if (context.request() instanceof ReceiveMessageRequest) {
                                RECEIVES.incrementAndGet();
                            }
                        }
                    })
                    .build());
        }
    }

    @Test
    void anIdleListenerMakesAtMostThreeReceiveCallsAMinute() {
        // Let the container settle into its steady state, then count one minute.
        await().pollDelay(Duration.ofSeconds(25)).atMost(Duration.ofSeconds(30)).until(() -> true);
        int before = RECEIVES.get();
        await().pollDelay(Duration.ofSeconds(60)).atMost(Duration.ofSeconds(65)).until(() -> true);
        int calls = RECEIVES.get() - before;
        BenchmarkReport.atMost(
                "idle-fifo-listener-receives",
                "receivesPerMinute",
                calls,
                3,
                Map.of("queue", "shipment-updates.fifo", "pollTimeout", "20s"));
    }
}
