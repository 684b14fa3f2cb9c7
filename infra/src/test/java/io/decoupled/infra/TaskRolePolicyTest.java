package io.decoupled.infra;

import static io.decoupled.infra.TemplateJson.list;
import static io.decoupled.infra.TemplateJson.properties;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.assertions.Match;

/**
 * Least privilege, checked against the synthesized template: every (action, resource) pair a task role
 * grants is listed here, so a new permission, or an old one on a wider resource, fails this test.
 */
class TaskRolePolicyTest {

    private static final String KEY = "kms:MessagingKey";
    private static final String PAYLOADS = "<s3:Payloads>/*";
    private static final String KCL_TABLES = "arn:aws:dynamodb:us-east-1:<AWS::AccountId>:table/analytics-clickstream*";

    private static final Map<Service, Set<String>> EXPECTED = Map.of(
            Service.ORDER,
                    grants(
                            "sns:Publish on sns:order-events",
                            "s3:PutObject on " + PAYLOADS,
                            consume("sqs:shipment-updates.fifo"),
                            "kms:GenerateDataKey on " + KEY,
                            "kms:Decrypt on " + KEY),
            Service.SHIPPING,
                    grants(
                            consume("sqs:shipping-orders"),
                            "s3:GetObject on " + PAYLOADS,
                            "sqs:SendMessage on sqs:shipping-orders",
                            consume("sqs:shipping-orders-dlq"),
                            "sqs:StartMessageMoveTask on sqs:shipping-orders-dlq",
                            "sqs:ListMessageMoveTasks on sqs:shipping-orders-dlq",
                            "sns:Publish on sns:shipment-events.fifo",
                            consume("sqs:shipment-deliveries"),
                            "sqs:SendMessage on sqs:shipment-deliveries",
                            "kms:GenerateDataKey on " + KEY,
                            "kms:Decrypt on " + KEY),
            Service.CLICK_INGEST, grants("kinesis:PutRecords on kinesis:clickstream", "kms:GenerateDataKey on " + KEY),
            Service.ANALYTICS,
                    grants(
                            "kinesis:DescribeStream on kinesis:clickstream",
                            "kinesis:DescribeStreamSummary on kinesis:clickstream",
                            "kinesis:ListShards on kinesis:clickstream",
                            "kinesis:GetShardIterator on kinesis:clickstream",
                            "kinesis:GetRecords on kinesis:clickstream",
                            onKclTables(
                                    "CreateTable",
                                    "DescribeTable",
                                    "UpdateTable",
                                    "UpdateContinuousBackups",
                                    "GetItem",
                                    "PutItem",
                                    "UpdateItem",
                                    "DeleteItem",
                                    "Scan",
                                    "Query"),
                            "cloudwatch:PutMetricData on *",
                            consume("sqs:analytics-orders"),
                            consume("sqs:order-review"),
                            consume("sqs:analytics-shipments.fifo"),
                            "s3:GetObject on " + PAYLOADS,
                            "kms:Decrypt on " + KEY));

    private final SynthesizedSystem synthesized = SynthesizedSystem.defaults();
    private final TemplateJson json = new TemplateJson(synthesized);

    @ParameterizedTest
    @EnumSource(Service.class)
    void taskRoleGrantsExactlyTheActionsOnTheResourcesTheServiceUses(Service service) {
        assertThat(grantsOf(service)).containsExactlyInAnyOrderElementsOf(EXPECTED.get(service));
    }

    @Test
    void noPolicyInTheAppHasAWildcardAction() {
        var system = synthesized.system();
        for (var stack : List.of(
                system.network(),
                system.messaging(),
                system.data(),
                system.compute(),
                system.scaling(),
                system.observability())) {
            json.resources(stack, "AWS::IAM::Policy")
                    .forEach((id, policy) -> statements(policy)
                            .forEach(statement -> assertThat(list(statement.get("Action")))
                                    .as(stack.getStackName() + "/" + id)
                                    .allSatisfy(action ->
                                            assertThat((String) action).doesNotContain("*"))));
        }
    }

    @Test
    void metricsMayGoOnlyToTheKclNamespaceAndTheKeyOnlyThroughMessagingServices() {
        var statements = statements(policyOf(Service.ANALYTICS));
        assertThat(statements)
                .filteredOn(s -> "KclMetrics".equals(s.get("Sid")))
                .singleElement()
                .satisfies(s -> assertThat(s)
                        .containsEntry(
                                "Condition",
                                Map.of("StringEquals", Map.of("cloudwatch:namespace", "analytics-clickstream"))));
        for (var service : Service.values()) {
            assertThat(statements(policyOf(service)))
                    .filteredOn(s -> "UseMessagingKey".equals(s.get("Sid")))
                    .singleElement()
                    .satisfies(s -> assertThat(s.get("Condition")).asString().contains("kms:ViaService"));
        }
    }

    @Test
    void databaseCredentialsAreReadByTheExecutionRoleNotTheApplication() {
        for (var service : Service.values()) {
            assertThat(grantsOf(service)).noneMatch(g -> g.startsWith("secretsmanager:"));
        }
        var compute = synthesized.system().compute();
        synthesized
                .template(compute)
                .hasResourceProperties(
                        "AWS::ECS::TaskDefinition",
                        Map.of(
                                "Family",
                                "order-service",
                                "ContainerDefinitions",
                                List.of(Match.objectLike(Map.of(
                                        "Secrets",
                                        Match.arrayWith(List.of(
                                                Match.objectLike(Map.of("Name", "SPRING_DATASOURCE_PASSWORD")))))))));
    }

    private Set<String> grantsOf(Service service) {
        var grants = new TreeSet<String>();
        for (var statement : statements(policyOf(service))) {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            for (var action : list(statement.get("Action"))) {
                for (var resource : list(statement.get("Resource"))) {
                    grants.add(action + " on " + json.describe(resource));
                }
            }
        }
        return grants;
    }

    private Map<String, Object> policyOf(Service service) {
        var compute = synthesized.system().compute();
        var roleId = compute.getLogicalId(
                (CfnElement) compute.taskRoleOf(service).getNode().getDefaultChild());
        var policies = json.resources(compute, "AWS::IAM::Policy").values().stream()
                .filter(p -> list(properties(p).get("Roles")).contains(Map.of("Ref", roleId)))
                .toList();
        assertThat(policies).as("policies of " + service.module()).hasSize(1);
        return policies.getFirst();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Map<String, Object> policy) {
        return (List<Map<String, Object>>)
                ((Map<String, Object>) properties(policy).get("PolicyDocument")).get("Statement");
    }

    private static String consume(String queue) {
        return String.join(
                "|",
                List.of(
                                "sqs:ReceiveMessage",
                                "sqs:DeleteMessage",
                                "sqs:ChangeMessageVisibility",
                                "sqs:GetQueueAttributes",
                                "sqs:GetQueueUrl")
                        .stream()
                        .map(a -> a + " on " + queue)
                        .toList());
    }

    private static String onKclTables(String... actions) {
        return String.join(
                "|",
                Arrays.stream(actions)
                        .map(a -> "dynamodb:" + a + " on " + KCL_TABLES)
                        .toList());
    }

    private static Set<String> grants(String... grants) {
        var out = new TreeSet<String>();
        for (var g : grants) {
            out.addAll(List.of(g.split("\\|")));
        }
        return out;
    }
}
