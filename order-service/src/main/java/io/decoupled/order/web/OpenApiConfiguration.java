package io.decoupled.order.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The title and summary of the OpenAPI description served at /v3/api-docs (and Swagger UI at /swagger-ui.html). */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {
    @Bean
    OpenAPI orderServiceApi() {
        return new OpenAPI()
                .info(
                        new Info()
                                .title("order-service")
                                .version("v1")
                                .description(
                                        "Orders over REST. Placing or cancelling an order commits its event to a transactional outbox; "
                                                + "a relay publishes it to SNS order-events. Errors are RFC 9457 problem+json."));
    }
}
