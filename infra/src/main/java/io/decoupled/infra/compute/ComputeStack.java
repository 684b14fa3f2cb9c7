package io.decoupled.infra.compute;

import io.decoupled.infra.Nag;
import io.decoupled.infra.Service;
import io.decoupled.infra.data.DataStack;
import io.decoupled.infra.kafka.ClickstreamKafkaStack;
import io.decoupled.infra.messaging.MessagingStack;
import io.decoupled.infra.network.NetworkStack;
import io.decoupled.topology.Topology;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.IPeer;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancerRedirectConfig;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.elasticloadbalancingv2.FixedResponseOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationActionProps;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.kinesis.CfnStreamConsumer;
import software.constructs.Construct;

/**
 * The four services on ECS Fargate behind one internet-facing Application Load Balancer, which routes by
 * path ({@link Service#paths()}; {@link Service#adminPaths()} only over HTTPS); anything else is a 404. Tasks run in private
 * subnets and are reachable only from the load balancer; each has a task role of its own
 * ({@link TaskPermissions}), its configuration as environment variables ({@link ServiceEnvironment}) and
 * its database credentials from Secrets Manager.
 */
public class ComputeStack extends Stack {

    /**
     * The clickstream consumer's name: on Kinesis the KCL application (its lease tables and its metric namespace), on
     * Kafka the consumer group (its committed offsets).
     */
    public static final String KCL_APPLICATION_NAME = "analytics-clickstream";
    static final int CONTAINER_PORT = Integer.parseInt(ServiceEnvironment.PORT);
    /**
     * Actuator (health, prometheus) listens here, apart from the API port: only the API port is in the target group,
     * so no listener rule, and no path the load balancer fails to match as Tomcat would, can reach actuator.
     */
    static final int MANAGEMENT_PORT = Integer.parseInt(ServiceEnvironment.MANAGEMENT_PORT);
    /** The id of the synth-time warning that the deployment has no certificate (docs/security.md). */
    public static final String NO_CERTIFICATE_WARNING = "decoupled:noCertificate";
    /** ECS waits this long after SIGTERM before SIGKILL: room for a graceful drain of in-flight messages. */
    static final Duration STOP_TIMEOUT = Duration.seconds(60);

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
    public record Props(NetworkStack network, DataStack data, MessagingStack messaging, ServiceImages images, IPeer apiIngress,
                        List<Service> scaledServices, int shippingWorkersPerTask, Optional<String> certificateArn, boolean enhancedFanOut,
                        boolean apiAuthentication, Optional<ClickstreamKafkaStack> kafka) {
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
    private final ApplicationLoadBalancer loadBalancer;
    private final Map<Service, FargateService> services = new EnumMap<>(Service.class);
    private final Map<Service, Role> taskRoles = new EnumMap<>(Service.class);
    private final Optional<CfnStreamConsumer> fanOutConsumer;
    private final Optional<ApiAuthentication> apiAuthentication;

    public ComputeStack(Construct scope, String id, StackProps stackProps, Props props) {
        super(scope, id, stackProps);
        var vpc = props.network().vpc();

        cluster = Cluster.Builder.create(this, "Cluster")
                .vpc(vpc)
                // Container Insights publishes RunningTaskCount, the denominator of backlog per task.
                .containerInsightsV2(ContainerInsights.ENABLED)
                .build();

        var albSecurityGroup = SecurityGroup.Builder.create(this, "LoadBalancerSecurityGroup")
                .vpc(vpc)
                .description("Public entry to the REST APIs")
                .allowAllOutbound(false)
                .build();
        albSecurityGroup.addIngressRule(props.apiIngress(), Port.tcp(80),
                props.certificateArn().isPresent() ? "HTTP, redirected to HTTPS" : "HTTP to the public REST APIs (no admin API)");
        props.certificateArn().ifPresent(arn ->
                albSecurityGroup.addIngressRule(props.apiIngress(), Port.tcp(443), "HTTPS to the REST APIs"));
        if (props.certificateArn().isEmpty()) {
            Annotations.of(this).addWarningV2(NO_CERTIFICATE_WARNING, "No certificateArn was given: the load balancer serves "
                    + "the public APIs over plain HTTP only, and the admin API (/admin/dlq) is not served at all, neither by the "
                    + "load balancer nor by shipping-service. Bearer tokens for /orders and /clicks would cross the network in "
                    + "clear text. Deploy with -c certificateArn=arn:aws:acm:<region>:<account>:certificate/<id> (docs/security.md).");
        }
        if (props.apiIngress().getUniqueId().equals(Peer.anyIpv4().getUniqueId())) {
            Nag.accept(albSecurityGroup, "AwsSolutions-EC23", "No ingressCidr was given: the demo's REST APIs are public on "
                    + "purpose, like any web API. Deploy with -c ingressCidr=<your IP>/32 to restrict them (the finding then goes away).");
        }

        loadBalancer = ApplicationLoadBalancer.Builder.create(this, "LoadBalancer")
                .vpc(vpc)
                .internetFacing(true)
                .securityGroup(albSecurityGroup)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
                .dropInvalidHeaderFields(true)
                .build();
        loadBalancer.logAccessLogs(new AccessLogBucket(this, "AccessLogs"), "alb");
        Nag.acknowledgeCrossStackSubnets(loadBalancer);

        var notFound = ListenerAction.fixedResponse(404, FixedResponseOptions.builder()
                .contentType("application/problem+json")
                .messageBody("{\"title\":\"Not Found\",\"status\":404,\"detail\":\"No service serves this path\"}")
                .build());
        ApplicationListener listener;
        if (props.certificateArn().isPresent()) {
            // With a certificate the APIs are served over TLS only; port 80 just redirects.
            listener = loadBalancer.addListener("Https", BaseApplicationListenerProps.builder()
                    .port(443)
                    .protocol(ApplicationProtocol.HTTPS)
                    .certificates(List.of(ListenerCertificate.fromArn(props.certificateArn().get())))
                    .sslPolicy(SslPolicy.RECOMMENDED_TLS)
                    .open(false)
                    .defaultAction(notFound)
                    .build());
            loadBalancer.addRedirect(ApplicationLoadBalancerRedirectConfig.builder()
                    .sourcePort(80).sourceProtocol(ApplicationProtocol.HTTP)
                    .targetPort(443).targetProtocol(ApplicationProtocol.HTTPS)
                    .open(false)
                    .build());
        } else {
            listener = loadBalancer.addListener("Http", BaseApplicationListenerProps.builder()
                    .port(80)
                    .protocol(ApplicationProtocol.HTTP)
                    .open(false)
                    .defaultAction(notFound)
                    .build());
        }
        // Actuator is not even on the API port (MANAGEMENT_PORT); this rule is the outer of two walls.
        listener.addAction("HideActuator", AddApplicationActionProps.builder()
                .priority(1)
                .conditions(List.of(ListenerCondition.pathPatterns(List.of("/actuator", "/actuator/*"))))
                .action(ListenerAction.fixedResponse(404, FixedResponseOptions.builder()
                        .contentType("application/problem+json")
                        .messageBody("{\"title\":\"Not Found\",\"status\":404}")
                        .build()))
                .build());
        // The load balancer matches the raw path, Tomcat normalises it: /orders/../actuator is "/orders/*" here and
        // "/actuator" there. Dot segments are refused here; their encoded forms (which a path pattern cannot spell)
        // are refused by every service's Tomcat too (WebServerHardening, docs/security.md).
        listener.addAction("RefuseDotSegments", AddApplicationActionProps.builder()
                .priority(2)
                .conditions(List.of(ListenerCondition.pathPatterns(List.of("*/..", "*/../*", "*/.", "*/./*"))))
                .action(ListenerAction.fixedResponse(400, FixedResponseOptions.builder()
                        .contentType("application/problem+json")
                        .messageBody("{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"Paths with dot segments are refused\"}")
                        .build()))
                .build());

        apiAuthentication = props.apiAuthentication() ? Optional.of(new ApiAuthentication(this, "ApiAuthentication")) : Optional.empty();

        CfnOutput.Builder.create(this, "ApiUrl")
                .description("Base URL of the REST APIs (the load balancer)")
                .value((props.certificateArn().isPresent() ? "https://" : "http://") + loadBalancer.getLoadBalancerDnsName())
                .build();

        // Enhanced fan-out: the stream consumer is registered here, by CloudFormation, so the task role needs no
        // RegisterStreamConsumer and the consumer is removed with the stack.
        fanOutConsumer = props.enhancedFanOut()
                ? Optional.of(CfnStreamConsumer.Builder.create(this, "ClickstreamFanOutConsumer")
                        .consumerName(KCL_APPLICATION_NAME)
                        .streamArn(props.messaging().stream(Topology.CLICKSTREAM).getStreamArn())
                        .build())
                : Optional.empty();
        var permissions = new TaskPermissions(this, props.messaging(), KCL_APPLICATION_NAME,
                fanOutConsumer.map(CfnStreamConsumer::getAttrConsumerArn), props.kafka());
        int priority = 10;
        for (var service : Service.values()) {
            var fargate = service(service, props, permissions);
            services.put(service, fargate);
            var paths = new ArrayList<>(service.paths());
            if (props.certificateArn().isPresent()) {
                paths.addAll(service.adminPaths());
            }
            listener.addTargets(service.id(), AddApplicationTargetsProps.builder()
                    .priority(priority)
                    .conditions(List.of(ListenerCondition.pathPatterns(paths)))
                    .port(CONTAINER_PORT)
                    .protocol(ApplicationProtocol.HTTP)
                    .targets(List.of(fargate))
                    .healthCheck(HealthCheck.builder()
                            .port(Integer.toString(MANAGEMENT_PORT))
                            .path("/actuator/health/readiness")
                            .healthyThresholdCount(2)
                            .interval(Duration.seconds(15))
                            .build())
                    // Requests in flight finish within seconds; the 300 s default only slows deployments.
                    .deregistrationDelay(Duration.seconds(30))
                    .build());
            // Health checks reach the management port; the API port's rule CDK adds with the target.
            fargate.getConnections().allowFrom(albSecurityGroup, Port.tcp(MANAGEMENT_PORT), "Health checks of the load balancer");
            priority += 10;
        }
    }

    private FargateService service(Service service, Props props, TaskPermissions permissions) {
        var taskRole = Role.Builder.create(this, service.id() + "TaskRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("What " + service.module() + " may do in AWS, and nothing more")
                .build();
        permissions.of(service).forEach(taskRole::addToPolicy);
        if (service != Service.CLICK_INGEST) {
            Nag.acceptOnly(taskRole, "AwsSolutions-IAM5", "Claim check: the extended clients name each offloaded payload's key "
                    + "(a random UUID) at send time, so the resource is the payload bucket's objects, with one action (put or get).",
                    "/^Resource::<Payloads[A-Za-z0-9]+\\.Arn>\\/\\*$/");
        }
        if (service == Service.ANALYTICS && props.kafka().isEmpty()) {
            Nag.acceptOnly(taskRole, "AwsSolutions-IAM5", "cloudwatch:PutMetricData has no resource-level permissions; "
                    + "the statement is limited by the cloudwatch:namespace condition to the KCL application's namespace.", "Resource::*");
            Nag.acceptOnly(taskRole, "AwsSolutions-IAM5", "KCL creates its lease, worker-metrics and coordinator-state tables "
                    + "itself, all named after the application; the prefix admits exactly those (and the lease table's index).",
                    "/^Resource::arn:[^:]+:dynamodb:[^:]+:.+:table\\/" + KCL_APPLICATION_NAME + "\\*$/");
        }
        taskRoles.put(service, taskRole);

        var taskDefinition = FargateTaskDefinition.Builder.create(this, service.id() + "Task")
                .family(service.module())
                .cpu(512)
                .memoryLimitMiB(1024)
                .runtimePlatform(RuntimePlatform.builder()
                        .cpuArchitecture(CpuArchitecture.X86_64)
                        .operatingSystemFamily(OperatingSystemFamily.LINUX)
                        .build())
                .taskRole(taskRole)
                .build();

        var logGroup = LogGroup.Builder.create(this, service.id() + "Logs")
                .logGroupName("/decoupled/" + service.module())
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();

        var container = ContainerDefinitionOptions.builder()
                .containerName(service.module())
                .image(props.images().imageOf(service))
                .essential(true)
                .portMappings(List.of(PortMapping.builder().containerPort(CONTAINER_PORT).build(),
                        PortMapping.builder().containerPort(MANAGEMENT_PORT).build()))
                .environment(environment(service, props))
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logGroup).streamPrefix(service.module()).build()))
                .stopTimeout(STOP_TIMEOUT);
        // Injected by ECS at task start from Secrets Manager (the execution role, not the task role, reads them).
        var secrets = new java.util.LinkedHashMap<String, Secret>();
        if (service.ownsDatabase()) {
            var credentials = props.data().databaseOf(service).credentials();
            secrets.put("SPRING_DATASOURCE_USERNAME", Secret.fromSecretsManager(credentials, "username"));
            secrets.put("SPRING_DATASOURCE_PASSWORD", Secret.fromSecretsManager(credentials, "password"));
        }
        if (service == Service.SHIPPING) {
            secrets.put("SHIPPING_ADMIN_TOKEN", Secret.fromSecretsManager(new AdminToken(this, "ShippingAdminToken")));
        }
        if (!secrets.isEmpty()) {
            container.secrets(secrets);
        }
        taskDefinition.addContainer(service.module(), container.build());
        Nag.accept(taskDefinition, "AwsSolutions-ECS2", "The environment holds only non-secret configuration (ARNs, URLs, "
                + "the region, the port); the database credentials come from Secrets Manager as ECS secrets.");
        Nag.acceptOnly(taskDefinition.obtainExecutionRole(), "AwsSolutions-IAM5", "CDK's execution-role policy: "
                + "ecr:GetAuthorizationToken has no resource-level permissions, so its resource is *; image pulls, "
                + "logs and secrets are scoped to their ARNs.", "Resource::*");

        var builder = FargateService.Builder.create(this, service.id() + "Service")
                .serviceName(service.module())
                .cluster(cluster)
                .taskDefinition(taskDefinition)
                .securityGroups(List.of(tasksSecurityGroup(service, props)))
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .assignPublicIp(false)
                // A deployment whose tasks never turn healthy rolls back instead of cycling forever.
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .minHealthyPercent(100)
                .maxHealthyPercent(200)
                .healthCheckGracePeriod(Duration.seconds(120));
        if (!props.scaledServices().contains(service)) {
            builder.desiredCount(1);
        }
        return builder.build();
    }

    /**
     * The service's security group from the network stack, imported here so that the rule admitting the load
     * balancer is created in this stack: created on the group itself, it would make the network stack
     * depend on this one, and this one already depends on the network.
     */
    private ISecurityGroup tasksSecurityGroup(Service service, Props props) {
        return SecurityGroup.fromSecurityGroupId(this, service.id() + "TasksSecurityGroup",
                props.network().securityGroupOf(service).getSecurityGroupId());
    }

    private Map<String, String> environment(Service service, Props props) {
        var env = new java.util.LinkedHashMap<>(ServiceEnvironment.of(service, props.messaging(), KCL_APPLICATION_NAME,
                props.shippingWorkersPerTask(), fanOutConsumer.map(CfnStreamConsumer::getAttrConsumerArn), props.kafka()));
        if (service.ownsDatabase()) {
            env.put("SPRING_DATASOURCE_URL", props.data().databaseOf(service).jdbcUrl());
        }
        if (service == Service.ORDER || service == Service.CLICK_INGEST) {
            apiAuthentication.ifPresent(auth -> env.putAll(new TreeMap<>(auth.resourceServerEnvironment())));
        }
        if (service == Service.SHIPPING && props.certificateArn().isEmpty()) {
            // Not routed without TLS, and not served either: a path the load balancer mismatches cannot reach it.
            env.put("SHIPPING_ADMIN_ENABLED", "false");
        }
        return env;
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
        return loadBalancer;
    }

    public FargateService serviceOf(Service service) {
        return Objects.requireNonNull(services.get(service), service.module());
    }

    /** The task role of a service, for tests and for anyone auditing what a service may do. */
    public Role taskRoleOf(Service service) {
        var role = taskRoles.get(service);
        if (role == null) {
            throw new NoSuchElementException(service.module());
        }
        return role;
    }
}
