package io.decoupled.infra.compute;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.infra.SynthesizedSystem;
import io.decoupled.infra.TemplateJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * Moving resources into constructs must not change their logical ids: CloudFormation would replace them, and an ECS
 * service or log group with a fixed name cannot be replaced at all.
 */
class LogicalIdsTest {

    @Test
    void theSchemeIsCdksOwnForEveryResourceOfTheOtherStacks() {
        var system = SynthesizedSystem.defaults().system();
        var checked = 0;
        for (var stack : system.stacks()) {
            if (stack instanceof ComputeStack) {
                continue; // its ids come from LogicalIds itself
            }
            for (var element : elementsOf(stack)) {
                assertThat(LogicalIds.uniqueId(pathBelow(stack, element)))
                        .as(element.getNode().getPath())
                        .isEqualTo(stack.getLogicalId(element));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void aResourceInAnInlinedConstructGetsTheIdItHadInTheStackItself() {
        var app = new App();
        var before = new Stack(app, "Before");
        role(before, "OrderTaskRole");
        LogGroup.Builder.create(before, "OrderLogs").build();

        var after = new Stack(app, "After") {
            @Override
            protected String allocateLogicalId(CfnElement element) {
                return LogicalIds.of(this, element, Inlined.class::isInstance);
            }
        };
        var order = new Inlined(after, "Order");
        role(order, "TaskRole");
        LogGroup.Builder.create(order, "Logs").build();

        assertThat(logicalIds(after)).isEqualTo(logicalIds(before)).hasSize(3);
    }

    @Test
    void theComputeStackKeepsTheIdsOfItsDeployedResources() {
        // As synthesized before the load balancer and the services moved into PublicEntrance and ServiceTask.
        var expected = Map.ofEntries(
                Map.entry("OrderServiceC448479E", "AWS::ECS::Service"),
                Map.entry("ShippingServiceA4DB6145", "AWS::ECS::Service"),
                Map.entry("ClickIngestServiceB6FD27D7", "AWS::ECS::Service"),
                Map.entry("AnalyticsServiceCD38C492", "AWS::ECS::Service"),
                Map.entry("OrderLogs8F5BFBCB", "AWS::Logs::LogGroup"),
                Map.entry("ShippingLogs23C48192", "AWS::Logs::LogGroup"),
                Map.entry("ClickIngestLogsBC06892F", "AWS::Logs::LogGroup"),
                Map.entry("AnalyticsLogsCD2A5272", "AWS::Logs::LogGroup"),
                Map.entry("OrderTaskRole8F770129", "AWS::IAM::Role"),
                Map.entry("AnalyticsTaskA521209F", "AWS::ECS::TaskDefinition"),
                Map.entry("ShippingTaskExecutionRoleDefaultPolicyE327DC67", "AWS::IAM::Policy"),
                Map.entry("ShippingAdminToken5B1EA871", "AWS::SecretsManager::Secret"),
                Map.entry("LoadBalancerBE9EEC3A", "AWS::ElasticLoadBalancingV2::LoadBalancer"),
                Map.entry("LoadBalancerSecurityGroup3036A0FC", "AWS::EC2::SecurityGroup"),
                Map.entry("LoadBalancerHttpF4A6AC3E", "AWS::ElasticLoadBalancingV2::Listener"),
                Map.entry("LoadBalancerHttpShippingGroupB9775D66", "AWS::ElasticLoadBalancingV2::TargetGroup"),
                Map.entry(
                        "ShippingTasksSecurityGroupfromDecoupledComputeLoadBalancerSecurityGroup47A268FD9090F6F65D14",
                        "AWS::EC2::SecurityGroupIngress"),
                Map.entry("AccessLogs8B620ECA", "AWS::S3::Bucket"));
        var synthesized = SynthesizedSystem.defaults();
        var json = new TemplateJson(synthesized);
        var types = new TreeMap<String, Object>();
        @SuppressWarnings("unchecked")
        var resources = (Map<String, Map<String, Object>>)
                json.template(synthesized.system().compute()).get("Resources");
        resources.forEach((id, resource) -> types.put(id, resource.get("Type")));
        assertThat(types).containsAllEntriesOf(expected);
    }

    private static void role(Construct scope, String id) {
        var role = Role.Builder.create(scope, id)
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("sqs:ReceiveMessage"))
                .resources(List.of("*"))
                .build());
    }

    private static List<CfnElement> elementsOf(Stack stack) {
        return stack.getNode().findAll().stream()
                .filter(CfnElement.class::isInstance)
                .map(CfnElement.class::cast)
                .filter(e -> Stack.of(e) == stack)
                .toList();
    }

    private static List<String> pathBelow(Stack stack, CfnElement element) {
        var scopes = element.getNode().getScopes();
        var path = new ArrayList<String>();
        scopes.subList(scopes.indexOf(stack) + 1, scopes.size())
                .forEach(s -> path.add(s.getNode().getId()));
        return path;
    }

    private static List<String> logicalIds(Stack stack) {
        return elementsOf(stack).stream().map(stack::getLogicalId).sorted().toList();
    }

    /** Stands for {@link ServiceTask}: a construct whose id is joined to its children's. */
    private static final class Inlined extends Construct {
        Inlined(Construct scope, String id) {
            super(scope, id);
        }
    }
}
