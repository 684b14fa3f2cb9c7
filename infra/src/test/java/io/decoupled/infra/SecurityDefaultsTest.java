package io.decoupled.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.infra.compute.ComputeStack;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/**
 * The controls of docs/security.md that live in the CDK app, deny cases first: without a certificate there is no admin
 * route and no admin API, and the synth says so; actuator is on a port no listener forwards to; dot segments are
 * refused at the load balancer; /orders and /clicks need a Cognito token.
 */
class SecurityDefaultsTest {

    private final SynthesizedSystem plain = SynthesizedSystem.defaults();
    private final SynthesizedSystem tls = SynthesizedSystem.variant();

    @Test
    void withoutACertificateNoListenerRoutesTheAdminApiAndShippingDoesNotServeIt() {
        var compute = plain.system().compute();
        var json = new TemplateJson(plain);
        var rules = json.resources(compute, "AWS::ElasticLoadBalancingV2::ListenerRule").values().stream()
                .map(TemplateJson::properties)
                .toList();
        assertThat(rules)
                .isNotEmpty()
                .allSatisfy(rule ->
                        assertThat(String.valueOf(rule.get("Conditions"))).doesNotContain("/admin"));
        plain.template(compute)
                .resourcePropertiesCountIs("AWS::ElasticLoadBalancingV2::Listener", Map.of("Protocol", "HTTPS"), 0);
        plain.template(compute)
                .hasResourceProperties(
                        "AWS::ECS::TaskDefinition",
                        Map.of(
                                "Family",
                                "shipping-service",
                                "ContainerDefinitions",
                                List.of(Match.objectLike(Map.of(
                                        "Environment",
                                        Match.arrayWith(List.of(
                                                Map.of("Name", "SHIPPING_ADMIN_ENABLED", "Value", "false"))))))));
    }

    @Test
    void withoutACertificateTheSynthWarnsOnceAndNamesTheFix() {
        var warnings = warnings(plain);
        assertThat(warnings)
                .singleElement()
                .asString()
                .contains("certificateArn", "admin API", "clear text", "docs/security.md");
        assertThat(warnings(tls)).isEmpty();
    }

    @Test
    void withACertificateTheAdminApiIsRoutedOnlyOverHttps() {
        var compute = tls.system().compute();
        var template = tls.template(compute);
        template.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::ListenerRule",
                Map.of(
                        "Conditions",
                        List.of(Map.of(
                                "Field",
                                "path-pattern",
                                "PathPatternConfig",
                                Map.of(
                                        "Values",
                                        List.of("/shipments", "/shipments/*", "/admin/dlq", "/admin/dlq/*"))))));
        // the only listener on port 80 redirects, it forwards nothing
        template.resourcePropertiesCountIs(
                "AWS::ElasticLoadBalancingV2::Listener",
                Map.of("Port", 80, "DefaultActions", List.of(Match.objectLike(Map.of("Type", "redirect")))),
                1);
        var json = new TemplateJson(tls);
        var httpsListener = json.resources(compute, "AWS::ElasticLoadBalancingV2::Listener").entrySet().stream()
                .filter(e -> Integer.valueOf(443)
                        .equals(TemplateJson.properties(e.getValue()).get("Port")))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
        assertThat(json.resources(compute, "AWS::ElasticLoadBalancingV2::ListenerRule")
                        .values())
                .allSatisfy(rule -> assertThat(
                                String.valueOf(TemplateJson.properties(rule).get("ListenerArn")))
                        .contains(httpsListener));
        assertThat(String.valueOf(json.template(compute))).doesNotContain("SHIPPING_ADMIN_ENABLED");
    }

    @Test
    void actuatorListensOnAManagementPortThatNoListenerForwardsTo() {
        var compute = plain.system().compute();
        var template = plain.template(compute);
        var json = new TemplateJson(plain);
        // every target group forwards to the API port; only the health check uses the management port
        assertThat(json.resources(compute, "AWS::ElasticLoadBalancingV2::TargetGroup")
                        .values())
                .hasSize(Service.values().length)
                .allSatisfy(group -> assertThat(TemplateJson.properties(group))
                        .containsEntry("Port", 8080)
                        .containsEntry("HealthCheckPort", "9090"));
        var definitions = json.resources(compute, "AWS::ECS::TaskDefinition").values().stream()
                .map(TemplateJson::properties)
                .toList();
        assertThat(definitions)
                .hasSize(4)
                .allSatisfy(definition -> assertThat(String.valueOf(definition.get("ContainerDefinitions")))
                        .contains("Name=MANAGEMENT_SERVER_PORT, Value=9090"));
        // the load balancer may reach the management port of every service (health checks), nobody else may
        var rules = json.resources(compute, "AWS::EC2::SecurityGroupIngress").values().stream()
                .map(TemplateJson::properties)
                .filter(rule -> Objects.equals(rule.get("FromPort"), 9090))
                .toList();
        assertThat(rules).hasSize(Service.values().length).allSatisfy(rule -> {
            assertThat(rule).doesNotContainKey("CidrIp");
            assertThat(String.valueOf(rule.get("SourceSecurityGroupId"))).contains("LoadBalancerSecurityGroup");
        });
        template.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::ListenerRule",
                Map.of(
                        "Priority",
                        1,
                        "Conditions",
                        List.of(Map.of(
                                "Field",
                                "path-pattern",
                                "PathPatternConfig",
                                Map.of("Values", List.of("/actuator", "/actuator/*"))))));
    }

    @Test
    void dotSegmentsAreRefusedBeforeAnyRoute() {
        for (var synthesized : List.of(plain, tls)) {
            synthesized
                    .template(synthesized.system().compute())
                    .hasResourceProperties(
                            "AWS::ElasticLoadBalancingV2::ListenerRule",
                            Map.of(
                                    "Priority", 2,
                                    "Conditions",
                                            List.of(Map.of(
                                                    "Field",
                                                    "path-pattern",
                                                    "PathPatternConfig",
                                                    Map.of("Values", List.of("*/..", "*/../*", "*/.", "*/./*")))),
                                    "Actions",
                                            List.of(Match.objectLike(Map.of(
                                                    "Type",
                                                    "fixed-response",
                                                    "FixedResponseConfig",
                                                    Match.objectLike(Map.of(
                                                            "StatusCode",
                                                            "400",
                                                            "ContentType",
                                                            "application/problem+json")))))));
        }
    }

    @Test
    void thePublicWriteApisNeedACognitoClientCredentialsTokenByDefault() {
        var compute = plain.system().compute();
        var template = plain.template(compute);
        template.resourceCountIs("AWS::Cognito::UserPool", 1);
        template.hasResourceProperties(
                "AWS::Cognito::UserPool",
                Map.of("AdminCreateUserConfig", Map.of("AllowAdminCreateUserOnly", true), "MfaConfiguration", "ON"));
        template.hasResourceProperties(
                "AWS::Cognito::UserPoolClient",
                Map.of("GenerateSecret", true, "AllowedOAuthFlows", List.of("client_credentials")));
        template.hasResourceProperties("AWS::Cognito::UserPoolResourceServer", Map.of("Identifier", "decoupled-api"));
        var json = new TemplateJson(plain);
        assertThat(json.resources(compute, "AWS::Cognito::UserPoolClient").values())
                .singleElement()
                .satisfies(client -> assertThat(
                                String.valueOf(TemplateJson.properties(client).get("AllowedOAuthScopes")))
                        .contains("/write"));
        for (var definition :
                json.resources(compute, "AWS::ECS::TaskDefinition").values()) {
            var properties = TemplateJson.properties(definition);
            var containers = String.valueOf(properties.get("ContainerDefinitions"));
            boolean writeApi =
                    List.of("order-service", "click-ingest-service").contains(String.valueOf(properties.get("Family")));
            if (writeApi) {
                assertThat(containers)
                        .contains(
                                "Name=API_SECURITY_ENABLED, Value=true",
                                "API_SECURITY_ISSUER_URI",
                                "API_SECURITY_AUDIENCES",
                                "Name=API_SECURITY_SCOPE, Value=decoupled-api/write");
            } else {
                assertThat(containers).doesNotContain("API_SECURITY_");
            }
        }
    }

    private static List<String> warnings(SynthesizedSystem synthesized) {
        return synthesized.assembly().getStacks().stream()
                .flatMap(stack -> stack.getMessages().stream())
                .filter(m -> m.getLevel().toString().equals("WARNING"))
                .map(m -> String.valueOf(m.getEntry().getData()))
                .filter(text -> text.contains(ComputeStack.NO_CERTIFICATE_WARNING))
                .toList();
    }
}
