package io.decoupled.clicks.kafka;

import io.decoupled.topology.MskIamAuthentication;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With {@code clickstream.kafka.msk-iam=true} (set by the CDK app on MSK, off by default and locally), every Kafka client
 * Boot builds here (the producer and the admin that creates the topic) authenticates to MSK with IAM
 * ({@link MskIamAuthentication}). Added as the environment's last source, so an explicit {@code spring.kafka.*} value
 * still wins; runs after the configuration files were read, so the switch may come from any of them. analytics-service
 * has the same class under its own switch.
 */
public final class MskIamEnvironment implements EnvironmentPostProcessor, Ordered {

    public static final String SWITCH = "clickstream.kafka.msk-iam";
    static final String SOURCE = "mskIamAuthentication";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getProperty(SWITCH, Boolean.class, false)) {
            environment
                    .getPropertySources()
                    .addLast(new MapPropertySource(SOURCE, MskIamAuthentication.springKafkaProperties()));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
