package io.decoupled.infra.network;

import io.decoupled.infra.Service;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * A VPC over two availability zones: public subnets for the load balancer and the NAT gateway, private
 * subnets for the tasks, isolated subnets for the databases. One NAT gateway keeps the reference deployment
 * cheap (a production deployment would put one in each zone, so that a zone outage cannot cut egress).
 * DynamoDB (KCL leases) and S3 (image layers) are reached through free gateway endpoints, not the NAT.
 */
public class NetworkStack extends Stack {

    private final Vpc vpc;
    private final Map<Service, SecurityGroup> serviceSecurityGroups = new EnumMap<>(Service.class);

    public NetworkStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);

        var flowLogs = LogGroup.Builder.create(this, "FlowLogs")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();

        vpc = Vpc.Builder.create(this, "Vpc")
                .ipAddresses(IpAddresses.cidr("10.40.0.0/16"))
                .maxAzs(2)
                .natGateways(1)
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder()
                                .name("public")
                                .subnetType(SubnetType.PUBLIC)
                                .cidrMask(24)
                                .build(),
                        SubnetConfiguration.builder()
                                .name("app")
                                .subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                .cidrMask(22)
                                .build(),
                        SubnetConfiguration.builder()
                                .name("data")
                                .subnetType(SubnetType.PRIVATE_ISOLATED)
                                .cidrMask(24)
                                .build()))
                // Sorted: Map.of's order changes from one JVM to the next, and the template (and `cdk diff`) with it.
                .gatewayEndpoints(new TreeMap<>(Map.of(
                        "DynamoDb",
                                GatewayVpcEndpointOptions.builder()
                                        .service(GatewayVpcEndpointAwsService.DYNAMODB)
                                        .build(),
                        "S3",
                                GatewayVpcEndpointOptions.builder()
                                        .service(GatewayVpcEndpointAwsService.S3)
                                        .build())))
                .flowLogs(Map.of(
                        "All",
                        FlowLogOptions.builder()
                                .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                                .trafficType(FlowLogTrafficType.REJECT)
                                .build()))
                .build();

        keepDefaultSecurityGroupLambdaLogsAMonth();

        for (var service : Service.values()) {
            serviceSecurityGroups.put(
                    service,
                    SecurityGroup.Builder.create(this, service.id() + "Tasks")
                            .vpc(vpc)
                            .description("Tasks of " + service.module())
                            // Tasks call AWS APIs over HTTPS through the NAT gateway and reach their database.
                            .allowAllOutbound(true)
                            .build());
        }
    }

    /**
     * CDK strips the default security group's rules (the cdk.json flag restrictDefaultSecurityGroup) with a Lambda of
     * its own, whose log group Lambda would create on its first run, kept for ever and left behind by cdk destroy.
     * The group is created here first, under the name Lambda writes to, before the custom resource runs the function.
     */
    private void keepDefaultSecurityGroupLambdaLogsAMonth() {
        var provider = getNode().tryFindChild("Custom::VpcRestrictDefaultSGCustomResourceProvider");
        var restriction = vpc.getNode().tryFindChild("RestrictDefaultSecurityGroupCustomResource");
        if (provider == null || restriction == null) {
            throw new IllegalStateException(
                    "CDK's default-security-group Lambda is no longer where this stack expects it; find its new place");
        }
        var handler = (CfnResource) provider.getNode().findChild("Handler");
        var logs = LogGroup.Builder.create(this, "RestrictDefaultSecurityGroupLogs")
                .logGroupName(Fn.join("", List.of("/aws/lambda/", handler.getRef())))
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        restriction.getNode().addDependency(logs);
    }

    public Vpc vpc() {
        return vpc;
    }

    /** The security group of one service's tasks; databases and the load balancer refer to it. */
    public SecurityGroup securityGroupOf(Service service) {
        return serviceSecurityGroups.get(service);
    }
}
