package io.decoupled.order;

import io.awspring.cloud.autoconfigure.sns.SnsClientCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Puts {@link SnsFaults} in front of the service's SNS client (a Spring Cloud AWS customizer, as an operator's would
 * be) and {@link OrderDatabaseFaults} in front of its data source. Both are off unless a test turns them on.
 */
@TestConfiguration(proxyBeanMethods = false)
public class SnsFaultsConfiguration {
    @Bean
    SnsFaults snsFaults() {
        return new SnsFaults();
    }

    @Bean
    static OrderDatabaseFaults databaseFaults() {
        return new OrderDatabaseFaults();
    }

    @Bean
    SnsClientCustomizer injectSnsFaults(SnsFaults faults) {
        return builder -> builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                .addExecutionInterceptor(faults)
                .build());
    }
}
