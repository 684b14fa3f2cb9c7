package io.decoupled.infra.compute;

import io.decoupled.infra.Nag;
import io.decoupled.infra.Service;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One service on ECS Fargate: a task role with exactly the statements it is given and nothing more, a task
 * definition of one container (its plain configuration as environment variables, its secrets injected by ECS from
 * Secrets Manager, its logs in a log group of its own), and the ECS service that keeps it running in the private
 * subnets without a public IP. A deployment whose tasks never turn healthy rolls back (circuit breaker) instead of
 * cycling forever.
 *
 * <p>Its children are named as they were when the stack created them itself ("TaskRole" here, "OrderTaskRole"
 * there); {@link ComputeStack} gives them those logical ids back.
 */
final class ServiceTask extends Construct {

    /** The API port, the only one the load balancer forwards to. */
    static final int API_PORT = Integer.parseInt(ServiceEnvironment.PORT);
    /**
     * Actuator (health, prometheus) listens here, apart from the API port: only the API port is in the target group,
     * so no listener rule, and no path the load balancer fails to match as Tomcat would, can reach actuator.
     */
    static final int MANAGEMENT_PORT = Integer.parseInt(ServiceEnvironment.MANAGEMENT_PORT);
    /** ECS waits this long after SIGTERM before SIGKILL: room for a graceful drain of in-flight messages. */
    static final Duration STOP_TIMEOUT = Duration.seconds(60);

    /**
     * @param service       which service
     * @param cluster       the ECS cluster it runs in
     * @param image         its container image
     * @param permissions   everything its task role may do
     * @param environment   its plain configuration (no secret: {@link ServiceEnvironment})
     * @param secrets       environment variables ECS fills from Secrets Manager at task start, with the execution role
     * @param securityGroup the security group of its tasks
     * @param scaled        an autoscaling policy owns its task count: the service does not set one, so that a
     *                      deployment never resets what the policy decided
     */
    record Props(
            Service service,
            ICluster cluster,
            ContainerImage image,
            List<PolicyStatement> permissions,
            Map<String, String> environment,
            Map<String, Secret> secrets,
            ISecurityGroup securityGroup,
            boolean scaled) {
        Props {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(image, "image");
            permissions = List.copyOf(permissions);
            // insertion order is the order of the container's variables in the template
            environment = new LinkedHashMap<>(environment);
            secrets = new LinkedHashMap<>(secrets);
            Objects.requireNonNull(securityGroup, "securityGroup");
        }
    }

    private final Service service;
    private final Role taskRole;
    private final FargateService fargateService;

    ServiceTask(Construct scope, String id, Props props) {
        super(scope, id);
        service = props.service();

        taskRole = Role.Builder.create(this, "TaskRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("What " + service.module() + " may do in AWS, and nothing more")
                .build();
        props.permissions().forEach(taskRole::addToPolicy);

        var taskDefinition = FargateTaskDefinition.Builder.create(this, "Task")
                .family(service.module())
                .cpu(512)
                .memoryLimitMiB(1024)
                .runtimePlatform(RuntimePlatform.builder()
                        .cpuArchitecture(CpuArchitecture.X86_64)
                        .operatingSystemFamily(OperatingSystemFamily.LINUX)
                        .build())
                .taskRole(taskRole)
                .build();

        var logGroup = LogGroup.Builder.create(this, "Logs")
                .logGroupName("/decoupled/" + service.module())
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();

        var container = ContainerDefinitionOptions.builder()
                .containerName(service.module())
                .image(props.image())
                .essential(true)
                .portMappings(List.of(
                        PortMapping.builder().containerPort(API_PORT).build(),
                        PortMapping.builder().containerPort(MANAGEMENT_PORT).build()))
                .environment(props.environment())
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder()
                        .logGroup(logGroup)
                        .streamPrefix(service.module())
                        .build()))
                .stopTimeout(STOP_TIMEOUT);
        // Injected by ECS at task start from Secrets Manager (the execution role, not the task role, reads them).
        if (!props.secrets().isEmpty()) {
            container.secrets(props.secrets());
        }
        taskDefinition.addContainer(service.module(), container.build());
        Nag.accept(
                taskDefinition,
                "AwsSolutions-ECS2",
                "The environment holds only non-secret configuration (ARNs, URLs, "
                        + "the region, the port); the database credentials come from Secrets Manager as ECS secrets.");
        Nag.acceptOnly(
                taskDefinition.obtainExecutionRole(),
                "AwsSolutions-IAM5",
                "CDK's execution-role policy: "
                        + "ecr:GetAuthorizationToken has no resource-level permissions, so its resource is *; image pulls, "
                        + "logs and secrets are scoped to their ARNs.",
                "Resource::*");

        var builder = FargateService.Builder.create(this, "Service")
                .serviceName(service.module())
                .cluster(props.cluster())
                .taskDefinition(taskDefinition)
                .securityGroups(List.of(props.securityGroup()))
                .vpcSubnets(SubnetSelection.builder()
                        .subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                        .build())
                .assignPublicIp(false)
                .circuitBreaker(DeploymentCircuitBreaker.builder()
                        .enable(true)
                        .rollback(true)
                        .build())
                .minHealthyPercent(100)
                .maxHealthyPercent(200)
                .healthCheckGracePeriod(Duration.seconds(120));
        if (!props.scaled()) {
            builder.desiredCount(1);
        }
        fargateService = builder.build();
    }

    Service service() {
        return service;
    }

    Role taskRole() {
        return taskRole;
    }

    FargateService fargateService() {
        return fargateService;
    }
}
