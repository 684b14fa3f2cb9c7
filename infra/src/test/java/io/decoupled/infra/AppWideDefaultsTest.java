package io.decoupled.infra;

import static io.decoupled.infra.TemplateJson.list;
import static io.decoupled.infra.TemplateJson.properties;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Defaults every resource of a kind must have, wherever a stack creates it, in each of the three synthesized
 * deployments (defaults, careful settings, clickstream on Kafka): a bucket or log group added to any stack later is
 * held to the same rules without a test of its own.
 */
class AppWideDefaultsTest {

    static Stream<SynthesizedSystem> deployments() {
        return Stream.of(SynthesizedSystem.defaults(), SynthesizedSystem.variant(), SynthesizedSystem.kafka());
    }

    @ParameterizedTest
    @MethodSource("deployments")
    void everyBucketIsEncryptedPrivateWithoutAclsAndTlsOnly(SynthesizedSystem synthesized) {
        var json = new TemplateJson(synthesized);
        for (var stack : synthesized.system().stacks()) {
            var policies = json.resources(stack, "AWS::S3::BucketPolicy").values().stream()
                    .map(TemplateJson::properties)
                    .toList();
            json.resources(stack, "AWS::S3::Bucket").forEach((id, bucket) -> {
                var props = properties(bucket);
                assertThat(props.get("BucketEncryption"))
                        .as("%s/%s encryption", stack.getStackName(), id)
                        .asString()
                        .contains("SSEAlgorithm=");
                assertThat(props.get("PublicAccessBlockConfiguration"))
                        .as("%s/%s public access block", stack.getStackName(), id)
                        .isEqualTo(Map.of(
                                "BlockPublicAcls", true,
                                "BlockPublicPolicy", true,
                                "IgnorePublicAcls", true,
                                "RestrictPublicBuckets", true));
                assertThat(props.get("OwnershipControls"))
                        .as("%s/%s object ownership (ACLs disabled)", stack.getStackName(), id)
                        .isEqualTo(Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))));
                assertThat(policies)
                        .as("%s/%s TLS-only policy", stack.getStackName(), id)
                        .anySatisfy(policy -> {
                            assertThat(policy.get("Bucket")).isEqualTo(Map.of("Ref", id));
                            assertThat(policy.get("PolicyDocument"))
                                    .asString()
                                    .contains("Effect=Deny", "aws:SecureTransport=false");
                        });
            });
        }
    }

    @ParameterizedTest
    @MethodSource("deployments")
    void everyTopicAndQueueIsEncryptedWithAKeyOfItsOwnAndTlsOnly(SynthesizedSystem synthesized) {
        var json = new TemplateJson(synthesized);
        var checked = 0;
        for (var stack : synthesized.system().stacks()) {
            for (var kind : List.of(
                    List.of("AWS::SNS::Topic", "AWS::SNS::TopicPolicy", "Topics"),
                    List.of("AWS::SQS::Queue", "AWS::SQS::QueuePolicy", "Queues"))) {
                var policies = json.resources(stack, kind.get(1)).values().stream()
                        .map(TemplateJson::properties)
                        .toList();
                for (var id : json.resources(stack, kind.get(0)).keySet()) {
                    checked++;
                    assertThat(properties(json.resources(stack, kind.get(0)).get(id)))
                            .as("%s/%s", stack.getStackName(), id)
                            .containsKey("KmsMasterKeyId");
                    assertThat(policies)
                            .as("%s/%s TLS-only policy", stack.getStackName(), id)
                            .anySatisfy(policy -> {
                                assertThat(list(policy.get(kind.get(2)))).contains(Map.of("Ref", id));
                                assertThat(policy.get("PolicyDocument"))
                                        .asString()
                                        .contains("Effect=Deny", "aws:SecureTransport=false");
                            });
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(20);
    }

    @ParameterizedTest
    @MethodSource("deployments")
    void everyLogGroupHasARetentionAndGoesWithItsStack(SynthesizedSystem synthesized) {
        var json = new TemplateJson(synthesized);
        var groups = 0;
        for (var stack : synthesized.system().stacks()) {
            for (var entry : json.resources(stack, "AWS::Logs::LogGroup").entrySet()) {
                groups++;
                assertThat(properties(entry.getValue()))
                        .as("%s/%s", stack.getStackName(), entry.getKey())
                        .containsEntry("RetentionInDays", 30);
                assertThat(entry.getValue())
                        .as("%s/%s", stack.getStackName(), entry.getKey())
                        .containsEntry("DeletionPolicy", "Delete");
            }
        }
        assertThat(groups).isGreaterThanOrEqualTo(8);
    }

    /** Lambda creates a function's log group on its first run, with no retention, unless one exists already. */
    @ParameterizedTest
    @MethodSource("deployments")
    void everyLambdaFunctionLogsToALogGroupTheStackCreates(SynthesizedSystem synthesized) {
        var json = new TemplateJson(synthesized);
        for (var stack : synthesized.system().stacks()) {
            var groups = json.resources(stack, "AWS::Logs::LogGroup");
            json.resources(stack, "AWS::Lambda::Function").forEach((id, function) -> {
                var explicit = String.valueOf(properties(function).get("LoggingConfig"));
                var byName = groups.values().stream()
                        .map(g -> String.valueOf(properties(g).get("LogGroupName")))
                        .anyMatch(name -> name.contains("/aws/lambda/") && name.contains("Ref=" + id + "}"));
                var referenced = groups.keySet().stream().anyMatch(g -> explicit.contains("Ref=" + g + "}"));
                assertThat(byName || referenced)
                        .as("%s/%s has a log group of the stack's", stack.getStackName(), id)
                        .isTrue();
            });
        }
    }

    /**
     * RDS creates the group of an exported log itself when none exists, with no retention, and CloudFormation never
     * removes it; the stack must create it first, under the name RDS writes to.
     */
    @ParameterizedTest
    @MethodSource("deployments")
    void everyExportedDatabaseLogGoesToALogGroupTheStackCreatesFirst(SynthesizedSystem synthesized) {
        var json = new TemplateJson(synthesized);
        var data = synthesized.system().data();
        var groups = json.resources(data, "AWS::Logs::LogGroup");
        var instances = json.resources(data, "AWS::RDS::DBInstance");
        assertThat(instances).hasSize(3);
        instances.forEach((id, instance) -> {
            var props = properties(instance);
            var identifier = props.get("DBInstanceIdentifier");
            assertThat(identifier).as(id).isInstanceOf(String.class);
            assertThat(list(props.get("EnableCloudwatchLogsExports"))).containsExactly("postgresql");
            var group = groups.entrySet().stream()
                    .filter(g -> ("/aws/rds/instance/" + identifier + "/postgresql")
                            .equals(properties(g.getValue()).get("LogGroupName")))
                    .map(Map.Entry::getKey)
                    .findFirst();
            assertThat(group).as("log group of %s", identifier).isPresent();
            assertThat(list(instance.get("DependsOn"))).as(id).contains(group.get());
        });
    }
}
