package io.decoupled.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.decoupled.infra.compute.ServiceImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * The app synthesized once per JVM, exactly as {@code cdk synth} builds it: the same feature flags (read
 * from cdk.json), the same cdk-nag checks, the real Docker image assets. Synthesis takes seconds, so every
 * test class shares this one result.
 */
public final class SynthesizedSystem {

    public static final String CERTIFICATE =
            "arn:aws:acm:us-east-1:123456789012:certificate/0b5e7c2e-1f4a-4c1d-9d3e-6a7b8c9d0e1f";

    private static SynthesizedSystem shared;
    private static SynthesizedSystem variant;
    private static SynthesizedSystem kafka;

    private final DecoupledSystem system;
    private final CloudAssembly assembly;
    private final Map<Stack, Template> templates = new HashMap<>();

    private SynthesizedSystem(String name, Function<DeploymentSettings, DeploymentSettings> customize) {
        var root = DeploymentSettings.findRepositoryRoot(Path.of(""));
        var app = App.Builder.create()
                // under target/, so that mvn clean removes it and repeated runs do not fill the temp directory
                .outdir(outdir(root.resolve("infra/target/cdk-test-out").resolve(name))
                        .toString())
                .context(cdkJsonContext(root.resolve("infra/cdk.json")))
                .build();
        var settings = customize.apply(DeploymentSettings.defaults(root));
        system = DecoupledSystem.create(app, settings, ServiceImages.fromRepository(root));
        assembly = app.synth();
    }

    /** The default deployment, shared by all tests. */
    public static synchronized SynthesizedSystem defaults() {
        if (shared == null) {
            shared = new SynthesizedSystem("defaults", Function.identity());
        }
        return shared;
    }

    /**
     * A deployer's careful choices: ingress from one address, alarm mail, HTTPS, data kept on destroy, shipping
     * scaled to zero when idle (30 s latency, 250 ms per order, 2 workers per task: 240 per task), and analytics
     * reading the clickstream by enhanced fan-out. One
     * shared synth for every test that needs non-default settings, since each synth costs many seconds.
     */
    public static synchronized SynthesizedSystem variant() {
        if (variant == null) {
            variant = new SynthesizedSystem(
                    "variant",
                    d -> new DeploymentSettings(
                            d.region(),
                            Optional.of("203.0.113.7/32"),
                            Optional.of("ops@example.com"),
                            Optional.of(CERTIFICATE),
                            true,
                            d.repositoryRoot(),
                            0,
                            5,
                            Duration.ofSeconds(30),
                            Duration.ofMillis(250),
                            2,
                            true,
                            true,
                            DeploymentSettings.ClickstreamBroker.KINESIS));
        }
        return variant;
    }

    /** The default deployment with the clickstream on MSK Serverless instead of Kinesis ({@code -c clickstream=kafka}). */
    public static synchronized SynthesizedSystem kafka() {
        if (kafka == null) {
            kafka = new SynthesizedSystem(
                    "kafka",
                    d -> new DeploymentSettings(
                            d.region(),
                            d.ingressCidr(),
                            d.alarmEmail(),
                            d.certificateArn(),
                            d.keepData(),
                            d.repositoryRoot(),
                            d.shippingMinTasks(),
                            d.shippingMaxTasks(),
                            d.acceptableLatency(),
                            d.averageProcessingTime(),
                            d.workersPerTask(),
                            false,
                            d.apiAuthentication(),
                            DeploymentSettings.ClickstreamBroker.KAFKA));
        }
        return kafka;
    }

    public DecoupledSystem system() {
        return system;
    }

    public CloudAssembly assembly() {
        return assembly;
    }

    public synchronized Template template(Stack stack) {
        return templates.computeIfAbsent(stack, Template::fromStack);
    }

    /** The context of infra/cdk.json: the feature flags every synth of this app runs with. */
    public static Map<String, Object> cdkJsonContext() {
        return cdkJsonContext(DeploymentSettings.findRepositoryRoot(Path.of("")).resolve("infra/cdk.json"));
    }

    private static Map<String, Object> cdkJsonContext(Path cdkJson) {
        try {
            Map<String, Object> json = new ObjectMapper().readValue(cdkJson.toFile(), new TypeReference<>() {});
            @SuppressWarnings("unchecked")
            var context = (Map<String, Object>) json.get("context");
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path outdir(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
