package io.decoupled.infra.data;

import software.amazon.awscdk.services.secretsmanager.ISecret;

/**
 * What a service needs to reach its database: where it is, and the Secrets Manager secret holding the
 * credentials (fields {@code username} and {@code password}), which ECS injects at task start.
 */
public record ServiceDatabase(String host, String port, String databaseName, ISecret credentials) {

    /** The JDBC URL; TLS is required because the server enforces it ({@code rds.force_ssl}). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + databaseName + "?sslmode=require";
    }
}
