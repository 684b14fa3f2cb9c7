package io.decoupled.shipping.shipment;

import io.awspring.cloud.sqs.config.SqsMessageListenerContainerFactory;
import io.decoupled.shipping.consumer.ConsumerProperties;
import io.decoupled.shipping.consumer.MessageTracing;
import io.decoupled.shipping.consumer.SqsQueueConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import tools.jackson.databind.json.JsonMapper;

/** Plugs the shipping handler into the generic queue consumer. */
@Configuration(proxyBeanMethods = false)
class ShipmentConfiguration {

    @Bean
    SqsQueueConsumer shippingOrdersConsumer(
            SqsAsyncClient sqs,
            ConsumerProperties settings,
            ShippingOrderHandler handler,
            JsonMapper json,
            MeterRegistry meters,
            ObjectProvider<Tracer> tracer,
            ObjectProvider<Propagator> propagator) {
        return new SqsQueueConsumer(
                sqs,
                settings,
                handler,
                json,
                meters,
                new MessageTracing(tracer.getIfAvailable(), propagator.getIfAvailable()));
    }

    /**
     * The container of the delivery-confirmation listener ({@link DeliveryConfirmations}). Long polls of 20 s keep an
     * idle queue at three receives a minute. The shutdown timeouts are short because Spring Cloud AWS waits for the
     * pending long poll before it stops (20 s by default): a SIGTERM must not take that long, and a confirmation cut
     * off mid-way is only rolled back and comes back after its visibility timeout, to be applied once.
     */
    @Bean
    SqsMessageListenerContainerFactory<Object> deliveryConfirmationListenerFactory(SqsAsyncClient sqs) {
        return SqsMessageListenerContainerFactory.builder()
                .sqsAsyncClient(sqs)
                .configure(options -> options.pollTimeout(Duration.ofSeconds(20))
                        .maxMessagesPerPoll(10)
                        .listenerShutdownTimeout(Duration.ofSeconds(2))
                        .acknowledgementShutdownTimeout(Duration.ofSeconds(2)))
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
