package io.decoupled.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.decoupled.infra.compute.ComputeStack;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.sqs.Queue;

class CdkNagTest {

    private final SynthesizedSystem synthesized = SynthesizedSystem.defaults();
    private final TemplateJson json = new TemplateJson(synthesized);

    @Test
    void awsSolutionsPackFindsNothingUnsuppressedInTheApp() {
        // An unsuppressed AwsSolutions error fails synthesis itself; warnings would show up here.
        var findings = new ArrayList<String>();
        for (var stack : synthesized.assembly().getStacks()) {
            stack.getMessages().stream()
                    // the one warning this deployment must show: no certificate (SecurityDefaultsTest pins it)
                    .filter(m -> !String.valueOf(m.getEntry().getData()).contains(ComputeStack.NO_CERTIFICATE_WARNING))
                    .forEach(m -> findings.add(m.getLevel() + " " + stack.getStackName() + m.getId() + " "
                            + m.getEntry().getData()));
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void cdksOwnTemplateChecksLeaveNoUnacknowledgedWarning() throws IOException {
        var report = Path.of(synthesized.assembly().getDirectory(), "validation-report.json");
        if (Files.exists(report)) {
            var json = new ObjectMapper().readTree(report.toFile());
            var violations = new ArrayList<String>();
            json.path("pluginReports")
                    .forEach(plugin -> plugin.path("violations")
                            .forEach(v -> violations.add(plugin.path("pluginName")
                                            .asText() + " " + v.path("ruleName").asText() + " "
                                    + v.path("description").asText())));
            // the no-certificate warning is meant to be seen on every such synth (SecurityDefaultsTest)
            violations.removeIf(v -> v.contains(ComputeStack.NO_CERTIFICATE_WARNING));
            assertThat(violations).isEmpty();
        }
    }

    @Test
    void anUnsuppressedFindingFailsTheSynth() {
        var app =
                App.Builder.create().context(SynthesizedSystem.cdkJsonContext()).build();
        var stack = new Stack(app, "Careless");
        Queue.Builder.create(stack, "Plain").build();
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().build());
        String report;
        try {
            var assembly = app.synth();
            // Without an in-memory validation failure the errors are still in the assembly, and the CLI fails on them.
            report = assembly.getStackByName("Careless").getMessages().stream()
                    .filter(m -> m.getLevel().toString().equals("ERROR"))
                    .map(m -> String.valueOf(m.getEntry().getData()))
                    .toList()
                    .toString();
        } catch (RuntimeException e) {
            // The exception names the report file; the findings are in it.
            var matcher =
                    Pattern.compile("found in: (\\S+validation-report\\.json)").matcher(e.getMessage());
            assertThat(matcher.find()).as(e.getMessage()).isTrue();
            try {
                report = Files.readString(Path.of(matcher.group(1)));
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
        }
        assertThat(report).contains("AwsSolutions-SQS");
    }

    @Test
    void everySuppressionIsAKnownDecisionWithAReason() {
        var suppressed = new TreeSet<String>();
        var system = synthesized.system();
        for (Stack stack : system.stacks()) {
            @SuppressWarnings("unchecked")
            var resources =
                    (Map<String, Map<String, Object>>) json.template(stack).get("Resources");
            resources
                    .values()
                    .forEach(resource -> rules(resource).forEach(rule -> {
                        assertThat(String.valueOf(rule.get("reason")))
                                .as(String.valueOf(rule.get("id")))
                                .hasSizeGreaterThan(60);
                        suppressed.add(String.valueOf(rule.get("id")));
                    }));
        }
        assertThat(suppressed)
                .containsExactlyInAnyOrderElementsOf(Set.of(
                        "AwsSolutions-EC23",
                        "AwsSolutions-ECS2",
                        "AwsSolutions-IAM5",
                        "AwsSolutions-KDS3",
                        "AwsSolutions-RDS3",
                        "AwsSolutions-RDS10",
                        "AwsSolutions-RDS11",
                        "AwsSolutions-S1",
                        "AwsSolutions-SMG4",
                        // The subscription DLQs: dead-letter queues cdk-nag does not recognise as such (MessagingStack
                        // says why).
                        "AwsSolutions-SQS3",
                        // Firehose reading a Kinesis stream cannot enable its own SSE (ClickstreamArchiveStack says
                        // why).
                        "AwsSolutions-KDF1",
                        // The API's Cognito pool serves machines only (ApiAuthentication says why).
                        "AwsSolutions-COG3"));
    }

    @Test
    void restrictingIngressAndKeepingDataRemovesTheirSuppressions() {
        var careful = SynthesizedSystem.variant();
        var text = new ArrayList<String>();
        var system = careful.system();
        for (Stack stack : List.of(system.compute(), system.data())) {
            text.add(String.valueOf(new TemplateJson(careful).template(stack)));
        }
        assertThat(String.join("", text))
                .doesNotContain("AwsSolutions-EC23", "AwsSolutions-RDS10")
                .contains("203.0.113.7/32");
        careful.template(system.data())
                .allResourcesProperties("AWS::RDS::DBInstance", Map.of("DeletionProtection", true));
        careful.template(system.observability())
                .hasResourceProperties(
                        "AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "ops@example.com"));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules(Map<String, Object> resource) {
        var metadata = (Map<String, Object>) resource.getOrDefault("Metadata", Map.of());
        var nag = (Map<String, Object>) metadata.getOrDefault("cdk_nag", Map.of());
        return (List<Map<String, Object>>) nag.getOrDefault("rules_to_suppress", List.of());
    }
}
