package io.decoupled.infra;

import static io.decoupled.infra.TemplateJson.properties;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

class ComputeAndDataStackTest {

    private final SynthesizedSystem synthesized = SynthesizedSystem.defaults();
    private final TemplateJson json = new TemplateJson(synthesized);

    @Test
    void fourServicesRunInPrivateSubnetsWithRollbackOnFailedDeployments() {
        var services = json.resources(synthesized.system().compute(), "AWS::ECS::Service").values().stream()
                .map(TemplateJson::properties)
                .toList();
        assertThat(services.stream().map(s -> s.get("ServiceName")))
                .containsExactlyInAnyOrder(
                        "order-service", "shipping-service", "click-ingest-service", "analytics-service");
        assertThat(services).allSatisfy(service -> {
            assertThat(service.get("NetworkConfiguration")).asString().contains("AssignPublicIp=DISABLED");
            assertThat(service.get("DeploymentConfiguration")).asString().contains("Enable=true", "Rollback=true");
        });
    }

    @Test
    void theLoadBalancerRoutesEachServicesPublicPathsAndHidesActuator() {
        var template = synthesized.template(synthesized.system().compute());
        for (var service : Service.values()) {
            template.hasResourceProperties(
                    "AWS::ElasticLoadBalancingV2::ListenerRule",
                    Map.of(
                            "Conditions",
                            List.of(Map.of(
                                    "Field", "path-pattern", "PathPatternConfig", Map.of("Values", service.paths())))));
        }
        template.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::ListenerRule",
                Map.of("Priority", 1, "Actions", List.of(Match.objectLike(Map.of("Type", "fixed-response")))));
        template.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                Map.of("HealthCheckPath", "/actuator/health/readiness", "HealthCheckPort", "9090"));
    }

    @Test
    void withoutACertificateThePublicApisArePlainHttpAndWithOneTlsOnly() {
        var plain = synthesized.template(synthesized.system().compute());
        plain.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 1);
        plain.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of("Port", 80, "Protocol", "HTTP"));

        var tls = SynthesizedSystem.variant();
        var template = tls.template(tls.system().compute());
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 2);
        template.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::Listener",
                Map.of(
                        "Port",
                        443,
                        "Protocol",
                        "HTTPS",
                        "Certificates",
                        List.of(Map.of("CertificateArn", SynthesizedSystem.CERTIFICATE))));
        template.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::Listener",
                Map.of(
                        "Port",
                        80,
                        "DefaultActions",
                        List.of(Match.objectLike(Map.of(
                                "Type",
                                "redirect",
                                "RedirectConfig",
                                Match.objectLike(Map.of("Protocol", "HTTPS", "Port", "443")))))));
        // every routing rule hangs off the HTTPS listener
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::ListenerRule", Service.values().length + 2);
    }

    @Test
    void tasksGetConfigurationAsVariablesAndCredentialsOnlyAsSecrets() {
        var definitions = json.resources(synthesized.system().compute(), "AWS::ECS::TaskDefinition").values().stream()
                .map(TemplateJson::properties)
                .toList();
        assertThat(definitions)
                .hasSize(4)
                .allSatisfy(definition -> assertThat(String.valueOf(definition.get("ContainerDefinitions")))
                        .contains("SPRING_CLOUD_AWS_REGION_STATIC")
                        .doesNotContain("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"));
        synthesized
                .template(synthesized.system().compute())
                .hasResourceProperties(
                        "AWS::ECS::TaskDefinition",
                        Map.of(
                                "Family",
                                "shipping-service",
                                "ContainerDefinitions",
                                List.of(Match.objectLike(Map.of(
                                        "StopTimeout", 60,
                                        "Environment",
                                                Match.arrayWith(List.of(
                                                        Match.objectLike(Map.of("Name", "SHIPPING_CONSUMER_QUEUE")),
                                                        // ECS scales tasks in AWS; the in-process pool stays fixed at
                                                        // the size the target assumes
                                                        Map.of(
                                                                "Name",
                                                                "SHIPPING_AUTOSCALING_ENABLED",
                                                                "Value",
                                                                "false"),
                                                        Map.of("Name", "SHIPPING_CONSUMER_WORKERS", "Value", "4"))),
                                        "Secrets",
                                                Match.arrayWith(List.of(
                                                        Match.objectLike(Map.of("Name", "SPRING_DATASOURCE_USERNAME")),
                                                        Match.objectLike(Map.of("Name", "SPRING_DATASOURCE_PASSWORD")),
                                                        Match.objectLike(Map.of("Name", "SHIPPING_ADMIN_TOKEN")))))))));

        // The claim check's bucket, for the only writer (docs/large-payloads.md).
        synthesized
                .template(synthesized.system().compute())
                .hasResourceProperties(
                        "AWS::ECS::TaskDefinition",
                        Map.of(
                                "Family",
                                "order-service",
                                "ContainerDefinitions",
                                List.of(Match.objectLike(Map.of(
                                        "Environment",
                                        Match.arrayWith(List.of(
                                                Match.objectLike(Map.of("Name", "ORDER_OUTBOX_TOPIC")),
                                                Match.objectLike(Map.of("Name", "ORDER_OUTBOX_PAYLOAD_BUCKET")))))))));
    }

    @Test
    void eachDatabaseIsEncryptedPrivateTlsOnlyAndReachableOnlyFromItsOwnService() {
        var data = synthesized.system().data();
        var template = synthesized.template(data);
        template.resourceCountIs("AWS::RDS::DBInstance", 3);
        template.allResourcesProperties(
                "AWS::RDS::DBInstance", Map.of("StorageEncrypted", true, "PubliclyAccessible", false));
        template.hasResourceProperties(
                "AWS::RDS::DBParameterGroup",
                Map.of("Parameters", Map.of("rds.force_ssl", "1", "idle_in_transaction_session_timeout", "60000")));
        template.resourceCountIs("AWS::SecretsManager::Secret", 3);
        template.hasResourceProperties("AWS::RDS::DBInstance", Map.of("DBName", "orders"));

        var rules = json.resources(data, "AWS::EC2::SecurityGroupIngress").values().stream()
                .map(TemplateJson::properties)
                .toList();
        for (var service : List.of(Service.ORDER, Service.SHIPPING, Service.ANALYTICS)) {
            var groupId = json.resources(data, "AWS::EC2::SecurityGroup").entrySet().stream()
                    .filter(e -> String.valueOf(properties(e.getValue()).get("GroupDescription"))
                            .contains(service.module()))
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElseThrow();
            assertThat(rules)
                    .filteredOn(rule -> String.valueOf(rule.get("GroupId")).contains(groupId))
                    .singleElement()
                    .satisfies(rule -> {
                        assertThat(rule)
                                .containsEntry("FromPort", 5432)
                                .containsEntry("ToPort", 5432)
                                .doesNotContainKey("CidrIp");
                        assertThat(json.describe(rule.get("SourceSecurityGroupId")))
                                .startsWith("AWS::EC2::SecurityGroup:" + service.id() + "Tasks");
                    });
        }
    }
}
