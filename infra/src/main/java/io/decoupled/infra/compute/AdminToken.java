package io.decoupled.infra.compute;

import io.decoupled.infra.Nag;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretProps;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The bearer token of shipping-service's DLQ admin API (inspect, redrive), generated into Secrets Manager at deploy
 * time: the service has no built-in token, and none may guard a deployment reachable from the internet. ECS injects
 * it at task start.
 */
final class AdminToken extends Secret {

    AdminToken(Construct scope, String id) {
        super(
                scope,
                id,
                SecretProps.builder()
                        .description("Bearer token of the shipping-service DLQ admin API")
                        .generateSecretString(SecretStringGenerator.builder()
                                .passwordLength(40)
                                .excludePunctuation(true)
                                .build())
                        .build());
        Nag.accept(
                this,
                "AwsSolutions-SMG4",
                "Read by ECS at task start; rotating it means restarting the tasks. "
                        + "Rotate by updating the secret and forcing a new deployment (docs/infra.md).");
    }
}
