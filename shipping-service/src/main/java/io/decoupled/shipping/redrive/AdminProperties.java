package io.decoupled.shipping.redrive;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.util.unit.DataSize;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The admin endpoints' bearer token and request limit. The token's default is for local runs only; deployed
 * environments set {@code SHIPPING_ADMIN_TOKEN} from a secret store.
 *
 * @param maxRequestBody the largest admin request body; larger is a 413 (a selection of 1000 ids is about 40 KiB)
 */
@Validated
@ConfigurationProperties("shipping.admin")
record AdminProperties(@DefaultValue(AdminProperties.LOCAL_TOKEN) @NotBlank @Size(min = 12) String token,
                       @DefaultValue("128KB") @NotNull DataSize maxRequestBody) {
    static final String LOCAL_TOKEN = "local-admin-token";

    boolean usesLocalDefault() {
        return LOCAL_TOKEN.equals(token);
    }
}
