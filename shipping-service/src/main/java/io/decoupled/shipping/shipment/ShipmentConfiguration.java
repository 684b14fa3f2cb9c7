package io.decoupled.shipping.shipment;

import io.decoupled.shipping.consumer.ConsumerProperties;
import io.decoupled.shipping.consumer.MessageTracing;
import io.decoupled.shipping.consumer.SqsQueueConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Clock;
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
    SqsQueueConsumer shippingOrdersConsumer(SqsAsyncClient sqs, ConsumerProperties settings, ShippingOrderHandler handler,
                                            JsonMapper json, MeterRegistry meters, ObjectProvider<Tracer> tracer,
                                            ObjectProvider<Propagator> propagator) {
        return new SqsQueueConsumer(sqs, settings, handler, json, meters,
                new MessageTracing(tracer.getIfAvailable(), propagator.getIfAvailable()));
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
