package io.decoupled.shipping.shipment;

import io.decoupled.shipping.consumer.ConsumerProperties;
import io.decoupled.shipping.consumer.SqsQueueConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
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
                                            JsonMapper json, MeterRegistry meters) {
        return new SqsQueueConsumer(sqs, settings, handler, json, meters);
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
