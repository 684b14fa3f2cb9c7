package io.decoupled.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.analytics.support.AnalyticsEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A service that cannot start must exit, not linger as a process that answers nothing: the demo's launcher, compose
 * and ECS all see a dead process at once, but a live one only when its health check gives up. Here the web port is
 * taken, so the context fails after the KCL worker (and its thread pools) was created but before it started.
 */
class StartupFailureIT {
    private final AnalyticsEnvironment env = new AnalyticsEnvironment("startupfailure", 1);

    @Test
    void whenTheContextFailsToStartTheJvmExitsWithAnError() throws IOException, InterruptedException {
        Path log = Files.createTempFile("analytics-startup-failure-", ".log");
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var arguments = new HashMap<>(env.properties());
            arguments.put("server.port", String.valueOf(taken.getLocalPort()));
            arguments.put("server.address", "127.0.0.1");
            arguments.put("spring.cloud.aws.sqs.enabled", "false");
            var process = env.launchProcess(arguments, log);
            try {
                boolean exited = process.waitFor(150, TimeUnit.SECONDS);
                assertThat(exited)
                        .as("the JVM exited after the failed start; its log:%n%s", Files.readString(log))
                        .isTrue();
                assertThat(process.exitValue()).isNotZero();
                assertThat(Files.readString(log)).contains("APPLICATION FAILED TO START");
            } finally {
                process.destroyForcibly();
            }
        }
    }
}
