package io.decoupled.shipping.shipment;

import io.awspring.cloud.autoconfigure.AwsSyncClientCustomizer;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.awspring.cloud.autoconfigure.sqs.SqsProperties;
import io.awspring.cloud.sqs.config.SqsMessageListenerContainerFactory;
import io.awspring.cloud.sqs.listener.errorhandler.ExponentialBackoffErrorHandler;
import io.decoupled.claimcheck.PayloadS3ClientConfiguration;
import io.decoupled.shipping.consumer.ConsumerProperties;
import io.decoupled.shipping.consumer.ConsumerSqsClientCustomizer;
import io.decoupled.shipping.consumer.MessageTracing;
import io.decoupled.shipping.consumer.OffloadedPayloads;
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
import org.springframework.context.annotation.Import;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plugs the shipping handler into the generic queue consumer, with the claim check's S3 client (built once for every
 * service: {@link PayloadS3ClientConfiguration}) to read the payloads order-service offloaded.
 */
@Configuration(proxyBeanMethods = false)
@Import(PayloadS3ClientConfiguration.class)
class ShipmentConfiguration {

    /**
     * The consumer's own synchronous SQS client, beside Spring Cloud AWS's asynchronous one (which the delivery
     * listener, the redriver and the autoscaler keep): the same endpoint, region and credentials ({@code spring.cloud.aws
     * .sqs.*} over {@code spring.cloud.aws.*}) and the same customizers for every synchronous client (the AWS call
     * meter), on the Apache HTTP client 5. Every call of the consumer blocks a thread of its own anyway, and the
     * synchronous path costs less CPU per call (docs/benchmarks.md, run 5).
     */
    @Bean(destroyMethod = "close")
    SqsClient shippingOrdersConsumerSqsClient(
            AwsClientBuilderConfigurer configurer,
            SqsProperties properties,
            ConsumerProperties settings,
            ObjectProvider<AwsConnectionDetails> connectionDetails,
            ObjectProvider<ConsumerSqsClientCustomizer> customizers,
            ObjectProvider<AwsSyncClientCustomizer> syncCustomizers) {
        return configurer
                .configureSyncClient(
                        SqsClient.builder(),
                        properties,
                        connectionDetails.getIfAvailable(),
                        customizers.orderedStream(),
                        syncCustomizers.orderedStream())
                .httpClientBuilder(Apache5HttpClient.builder()
                        // Every poller's long poll, every acknowledgement sender's call and the heartbeat's at once.
                        .maxConnections(2 * settings.maxPollers() + 1)
                        // Longer than the longest long poll (20 s), so an empty receive is never cut off.
                        .socketTimeout(Duration.ofSeconds(30)))
                .build();
    }

    @Bean
    SqsQueueConsumer shippingOrdersConsumer(
            SqsClient shippingOrdersConsumerSqsClient,
            ConsumerProperties settings,
            ShippingOrderHandler handler,
            JsonMapper json,
            MeterRegistry meters,
            ObjectProvider<Tracer> tracer,
            ObjectProvider<Propagator> propagator,
            S3Client payloadS3Client) {
        return new SqsQueueConsumer(
                shippingOrdersConsumerSqsClient,
                settings,
                handler,
                json,
                meters,
                new MessageTracing(tracer.getIfAvailable(), propagator.getIfAvailable()),
                OffloadedPayloads.from(payloadS3Client));
    }

    /**
     * The container of the delivery-confirmation listener ({@link DeliveryConfirmations}). Long polls of 20 s keep an
     * idle queue at three receives a minute. The shutdown timeouts are short because Spring Cloud AWS waits for the
     * pending long poll before it stops (20 s by default): a SIGTERM must not take that long, and a confirmation cut
     * off mid-way is only rolled back and comes back after its visibility timeout, to be applied once.
     *
     * <p>A confirmation that fails (the database away) comes back after an exponentially growing visibility
     * (Spring Cloud AWS's {@link ExponentialBackoffErrorHandler}, {@code shipping.delivery.retry-visibility}), not
     * after the queue's 30 s: five receives of 30 s would send a good confirmation to the DLQ after a two-minute
     * outage, and its shipment would never be delivered. A confirmation whose shipment never committed still reaches
     * the DLQ, later.
     */
    @Bean
    SqsMessageListenerContainerFactory<Object> deliveryConfirmationListenerFactory(
            SqsAsyncClient sqs, DeliveryProperties delivery) {
        return SqsMessageListenerContainerFactory.builder()
                .sqsAsyncClient(sqs)
                .configure(options -> options.pollTimeout(Duration.ofSeconds(20))
                        .maxMessagesPerPoll(10)
                        .listenerShutdownTimeout(Duration.ofSeconds(2))
                        .acknowledgementShutdownTimeout(Duration.ofSeconds(2)))
                .errorHandler(ExponentialBackoffErrorHandler.builder()
                        .initialVisibilityTimeoutSeconds(
                                (int) delivery.retryVisibility().toSeconds())
                        .multiplier(2)
                        .maxVisibilityTimeoutSeconds(
                                (int) delivery.maxRetryVisibility().toSeconds())
                        .build())
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
