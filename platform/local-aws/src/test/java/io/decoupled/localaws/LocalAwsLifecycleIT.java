package io.decoupled.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Emulators never outlive their owner and never collide with a second environment on the same machine. */
class LocalAwsLifecycleIT {

    @Test
    void twoEnvironmentsRunSideBySideOnDifferentPortsAndCloseStopsThem() {
        try (var first = LocalAws.builder()
                        .services(AwsService.SQS)
                        .withoutTopology()
                        .start();
                var second = LocalAws.builder()
                        .services(AwsService.SQS)
                        .withoutTopology()
                        .start()) {
            var a = first.requireEndpoint(AwsService.SQS);
            var b = second.requireEndpoint(AwsService.SQS);
            assertThat(a).isNotEqualTo(b);
            try (var sqsA = first.sqs();
                    var sqsB = second.sqs()) {
                sqsA.createQueue(r -> r.queueName("only-in-first"));
                assertThat(sqsB.listQueues().queueUrls()).noneMatch(url -> url.contains("only-in-first"));
            }
            second.close();
            assertThat(second.isRunning()).isFalse();
            assertThat(accepts(b)).isFalse();
            assertThat(accepts(a)).isTrue();
        }
    }

    @Test
    void emulatorsExitWhenTheJvmThatStartedThemIsKilled() throws Exception {
        var javaBin = ProcessHandle.current().info().command().orElseThrow();
        var child = new ProcessBuilder(
                        javaBin, "-cp", System.getProperty("java.class.path"), ChildJvmWithLocalAws.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .directory(Path.of(".").toFile())
                .start();
        List<ProcessHandle> emulators;
        URI sqs;
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String pids = readLineStartingWith(out, "PIDS ");
            sqs = URI.create(readLineStartingWith(out, "SQS "));
            emulators = Arrays.stream(pids.split(","))
                    .map(Long::parseLong)
                    .map(ProcessHandle::of)
                    .flatMap(Optional::stream)
                    .toList();
            assertThat(emulators).hasSize(3).allMatch(ProcessHandle::isAlive);
            assertThat(accepts(sqs)).isTrue();

            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            child.waitFor();
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(emulators).noneMatch(ProcessHandle::isAlive));
        assertThat(accepts(sqs)).isFalse();
    }

    private static String readLineStartingWith(BufferedReader reader, String prefix) throws Exception {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).strip();
            }
        }
        throw new AssertionError("the child JVM ended without printing " + prefix);
    }

    private static boolean accepts(URI endpoint) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
