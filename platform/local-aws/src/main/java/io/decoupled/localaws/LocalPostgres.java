package io.decoupled.localaws;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PostgreSQL from Maven Central's binaries (no Docker, no installed server), on a free loopback port.
 * One server per JVM is shared; each service gets a database of its own, as it would in AWS.
 */
public final class LocalPostgres implements AutoCloseable {
    private static LocalPostgres shared;

    private final EmbeddedPostgres postgres;

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static LocalPostgres start() {
        try {
            return new LocalPostgres(EmbeddedPostgres.builder().start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    /**
     * The same, with initdb's and the server's output written to {@code logFile} instead of this JVM's log: the demo
     * prints its own lines, not PostgreSQL's.
     */
    public static LocalPostgres start(Path logFile) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            var redirect = ProcessBuilder.Redirect.appendTo(logFile.toFile());
            return new LocalPostgres(EmbeddedPostgres.builder()
                    .setOutputRedirector(redirect)
                    .setErrorRedirector(redirect)
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    /** The server shared by every test class of this JVM, started on first use. */
    public static synchronized LocalPostgres shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "local-postgres-shutdown"));
        }
        return shared;
    }

    public int port() {
        return postgres.getPort();
    }

    /** Creates the database if needed and returns its JDBC URL. */
    public synchronized String createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("invalid database name: " + name);
        }
        try (var connection = postgres.getPostgresDatabase().getConnection();
                var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            try (var rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (var create = connection.createStatement()) {
                        create.execute("create database " + name);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Spring datasource properties for a database of this server (created if missing). */
    public Map<String, String> springProperties(String database) {
        var props = new LinkedHashMap<String, String>();
        props.put("spring.datasource.url", createDatabase(database));
        props.put("spring.datasource.username", "postgres");
        props.put("spring.datasource.password", "postgres");
        return props;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
