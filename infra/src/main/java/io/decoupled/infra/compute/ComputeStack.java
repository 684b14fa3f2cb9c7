package io.decoupled.infra.compute;

import io.decoupled.infra.Nag;
import io.decoupled.infra.Service;
import io.decoupled.infra.data.DataStack;
import io.decoupled.infra.kafka.ClickstreamKafkaStack;
import io.decoupled.infra.messaging.MessagingStack;
import io.decoupled.infra.network.NetworkStack;
import io.decoupled.topology.Topology;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.ec2.IPeer;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kinesis.CfnStreamConsumer;
import software.constructs.Construct;

/**
 * The four services on ECS Fargate behind one public entrance, composed of constructs: the {@link PublicEntrance}
 * (load balancer, TLS or not, path rules, access logs), the {@link ApiAuthentication} of the write APIs, and one
 * {@link ServiceTask} per service (task role with {@link TaskPermissions}, task definition, log group, ECS service).
 * What this class decides itself is what ties them together: each service's configuration
 * ({@link ServiceEnvironment}, the database URL, the token check, the admin API switch), its secrets (database
 * credentials, the {@link AdminToken}), its tasks' security group, and the findings its permissions accept.
 */
public class ComputeStack extends Stack {

    /**
     * The clickstream consumer's name: on Kinesis the KCL application (its lease tables and its metric namespace), on
     * Kafka the consumer group (its committed offsets).
     */
    public static final String KCL_APPLICATION_NAME = "analytics-clickstream";
    /** The id of the synth-time warning that the deployment has no certificate (docs/security.md). */
    public static final String NO_CERTIFICATE_WARNING = PublicEntrance.NO_CERTIFICATE_WARNING;

    /**
     * @param network        VPC and task security groups
     * @param data           the databases of the services that own one
     * @param messaging      topics, queues, stream and their key
     * @param images         where the container images come from
     * @param apiIngress     who may reach the load balancer (a CIDR, or anyone)
     * @param scaledServices services whose task count an autoscaling policy owns: the stack does not set it,
     *                       so that a deployment never resets what the policy decided
     * @param shippingWorkersPerTask the fixed worker pool of one shipping-service task (the scaling target assumes it)
     * @param certificateArn an ACM certificate for the load balancer: HTTPS only, port 80 redirects; empty means plain HTTP
     *                       for the public APIs and no admin API at all
     * @param enhancedFanOut analytics reads the Kinesis stream through a registered enhanced fan-out consumer
     * @param apiAuthentication /orders and /clicks need a Cognito access token
     * @param kafka          the MSK Serverless cluster the clickstream runs on instead of Kinesis, if chosen
     */
    public record Props(
            NetworkStack network,
            DataStack data,
            MessagingStack messaging,
            ServiceImages images,
            IPeer apiIngress,
            List<Service> scaledServices,
            int shippingWorkersPerTask,
            Optional<String> certificateArn,
            boolean enhancedFanOut,
            boolean apiAuthentication,
            Optional<ClickstreamKafkaStack> kafka) {
        public Props {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(messaging, "messaging");
            Objects.requireNonNull(images, "images");
            Objects.requireNonNull(apiIngress, "apiIngress");
            scaledServices = List.copyOf(scaledServices);
            Objects.requireNonNull(certificateArn, "certificateArn");
            Objects.requireNonNull(kafka, "kafka");
            if (enhancedFanOut && kafka.isPresent()) {
                throw new IllegalArgumentException("enhanced fan-out reads Kinesis; the clickstream runs on Kafka");
            }
        }
    }

    private final Cluster cluster;
    private final PublicEntrance entrance;
    private final Map<Service, ServiceTask> tasks = new EnumMap<>(Service.class);
    private final Optional<CfnStreamConsumer> fanOutConsumer;
    private final Optional<ApiAuthentication> apiAuthentication;

    public ComputeStack(Construct scope, String id, StackProps stackProps, Props props) {
        super(scope, id, stackProps);
        cluster = Cluster.Builder.create(this, "Cluster")
                .vpc(props.network().vpc())
                // Container Insights publishes RunningTaskCount, the denominator of backlog per task.
                .containerInsightsV2(ContainerInsights.ENABLED)
                .build();
        entrance = new PublicEntrance(
                this,
                PublicEntrance.ID,
                new PublicEntrance.Props(props.network().vpc(), props.apiIngress(), props.certificateArn()));
        apiAuthentication = props.apiAuthentication()
                ? Optional.of(new ApiAuthentication(this, "ApiAuthentication"))
                : Optional.empty();
        CfnOutput.Builder.create(this, "ApiUrl")
                .description("Base URL of the REST APIs (the load balancer)")
                .value(entrance.url())
                .build();

        // Enhanced fan-out: the stream consumer is registered here, by CloudFormation, so the task role needs no
        // RegisterStreamConsumer and the consumer is removed with the stack.
        fanOutConsumer = props.enhancedFanOut()
                ? Optional.of(CfnStreamConsumer.Builder.create(this, "ClickstreamFanOutConsumer")
                        .consumerName(KCL_APPLICATION_NAME)
                        .streamArn(
                                props.messaging().stream(Topology.CLICKSTREAM).getStreamArn())
                        .build())
                : Optional.empty();
        var permissions = new TaskPermissions(
                this,
                props.messaging(),
                KCL_APPLICATION_NAME,
                fanOutConsumer.map(CfnStreamConsumer::getAttrConsumerArn),
                props.kafka());
        for (var service : Service.values()) {
            var task = new ServiceTask(
                    this,
                    service.id(),
                    new ServiceTask.Props(
                            service,
                            cluster,
                            props.images().imageOf(service),
                            permissions.of(service),
                            environment(service, props),
                            secrets(service, props),
                            tasksSecurityGroup(service, props),
                            props.scaledServices().contains(service)));
            acceptTaskRoleFindings(task, props);
            entrance.route(task);
            tasks.put(service, task);
        }
    }

    /**
     * Resources inside a {@link ServiceTask} keep the logical ids they had before that construct existed, when this
     * stack created them itself: a changed id would replace them on the next deployment, and the ECS services and log
     * groups, which have fixed names, cannot be replaced at all ({@link LogicalIds}). The {@link PublicEntrance} needs
     * no help: its construct id is "Default", which CDK leaves out.
     */
    @Override
    protected String allocateLogicalId(CfnElement element) {
        return LogicalIds.of(this, element, ServiceTask.class::isInstance);
    }

    private Map<String, String> environment(Service service, Props props) {
        var env = new LinkedHashMap<>(ServiceEnvironment.of(
                service,
                props.messaging(),
                KCL_APPLICATION_NAME,
                props.shippingWorkersPerTask(),
                fanOutConsumer.map(CfnStreamConsumer::getAttrConsumerArn),
                props.kafka()));
        if (service.ownsDatabase()) {
            env.put("SPRING_DATASOURCE_URL", props.data().databaseOf(service).jdbcUrl());
        }
        if (service == Service.ORDER || service == Service.CLICK_INGEST) {
            apiAuthentication.ifPresent(auth -> env.putAll(new TreeMap<>(auth.resourceServerEnvironment())));
        }
        if (service == Service.SHIPPING && !entrance.tls()) {
            // Not routed without TLS, and not served either: a path the load balancer mismatches cannot reach it.
            env.put("SHIPPING_ADMIN_ENABLED", "false");
        }
        return env;
    }

    /** Read by ECS with the execution role at task start; no task role can read a secret. */
    private Map<String, Secret> secrets(Service service, Props props) {
        var secrets = new LinkedHashMap<String, Secret>();
        if (service.ownsDatabase()) {
            var credentials = props.data().databaseOf(service).credentials();
            secrets.put("SPRING_DATASOURCE_USERNAME", Secret.fromSecretsManager(credentials, "username"));
            secrets.put("SPRING_DATASOURCE_PASSWORD", Secret.fromSecretsManager(credentials, "password"));
        }
        if (service == Service.SHIPPING) {
            secrets.put("SHIPPING_ADMIN_TOKEN", Secret.fromSecretsManager(new AdminToken(this, "ShippingAdminToken")));
        }
        return secrets;
    }

    /**
     * The service's security group from the network stack, imported here so that the rule admitting the load
     * balancer is created in this stack: created on the group itself, it would make the network stack
     * depend on this one, and this one already depends on the network. Imported in the stack's scope, not the
     * service task's: the load balancer's rules are named after it.
     */
    private ISecurityGroup tasksSecurityGroup(Service service, Props props) {
        return SecurityGroup.fromSecurityGroupId(
                this,
                service.id() + "TasksSecurityGroup",
                props.network().securityGroupOf(service).getSecurityGroupId());
    }

    /** The wildcards {@link TaskPermissions} writes on purpose, each with its reason. */
    private static void acceptTaskRoleFindings(ServiceTask task, Props props) {
        var service = task.service();
        if (service != Service.CLICK_INGEST) {
            Nag.acceptOnly(
                    task.taskRole(),
                    "AwsSolutions-IAM5",
                    "Claim check: the extended clients name each offloaded payload's key "
                            + "(a random UUID) at send time, so the resource is the payload bucket's objects, with one action (put or get).",
                    "/^Resource::<Payloads[A-Za-z0-9]+\\.Arn>\\/\\*$/");
        }
        if (service == Service.ANALYTICS && props.kafka().isEmpty()) {
            Nag.acceptOnly(
                    task.taskRole(),
                    "AwsSolutions-IAM5",
                    "cloudwatch:PutMetricData has no resource-level permissions; "
                            + "the statement is limited by the cloudwatch:namespace condition to the KCL application's namespace.",
                    "Resource::*");
            Nag.acceptOnly(
                    task.taskRole(),
                    "AwsSolutions-IAM5",
                    "KCL creates its lease, worker-metrics and coordinator-state tables "
                            + "itself, all named after the application; the prefix admits exactly those (and the lease table's index).",
                    "/^Resource::arn:[^:]+:dynamodb:[^:]+:.+:table\\/" + KCL_APPLICATION_NAME + "\\*$/");
        }
    }

    /** The Cognito user pool whose tokens /orders and /clicks need, when API authentication is on. */
    public Optional<UserPool> apiUserPool() {
        return apiAuthentication.map(ApiAuthentication::pool);
    }

    /** The registered enhanced fan-out consumer of the clickstream, when analytics reads by fan-out. */
    public Optional<CfnStreamConsumer> fanOutConsumer() {
        return fanOutConsumer;
    }

    public Cluster cluster() {
        return cluster;
    }

    public ApplicationLoadBalancer loadBalancer() {
        return entrance.loadBalancer();
    }

    public FargateService serviceOf(Service service) {
        return Objects.requireNonNull(tasks.get(service), service.module()).fargateService();
    }

    /** The task role of a service, for tests and for anyone auditing what a service may do. */
    public Role taskRoleOf(Service service) {
        var task = tasks.get(service);
        if (task == null) {
            throw new NoSuchElementException(service.module());
        }
        return task.taskRole();
    }
}
