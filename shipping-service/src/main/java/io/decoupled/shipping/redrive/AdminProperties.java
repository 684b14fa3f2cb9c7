package io.decoupled.shipping.redrive;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The admin endpoints' bearer token. The default is for local runs only; deployed environments set
 * {@code SHIPPING_ADMIN_TOKEN} from a secret store.
 */
@Validated
@ConfigurationProperties("shipping.admin")
record AdminProperties(@DefaultValue(AdminProperties.LOCAL_TOKEN) @NotBlank @Size(min = 12) String token) {
    static final String LOCAL_TOKEN = "local-admin-token";

    boolean usesLocalDefault() {
        return LOCAL_TOKEN.equals(token);
    }
}
