package io.decoupled.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A service runs in a process of its own and finds AWS only through its environment. This proves that the
 * variables {@link AwsEnvironment#environment()} hands to such a process are enough: endpoints, region,
 * credentials, and the SDK v2's own switch to JSON for kinesalite (whose CBOR the SDK cannot read; the demo's
 * clickstream broke when that switch was given under the SDK v1's name).
 */
class ChildProcessEnvironmentIT {

    @Test
    void aProcessConfiguredOnlyByTheEnvironmentReachesSqsAndRoundTripsAKinesisRecord() throws Exception {
        var aws = SharedAwsEnvironments.embedded();
        var javaBin = ProcessHandle.current().info().command().orElseThrow();
        var builder = new ProcessBuilder(
                        javaBin, "-cp", System.getProperty("java.class.path"), ChildProcessClient.class.getName())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("CBOR_ENABLED"));
        builder.environment().putAll(aws.environment());
        var process = builder.start();
        process.getOutputStream().close();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as("child output").contains("ROUND TRIP OK");
        assertThat(process.exitValue()).isZero();
    }
}
