package io.decoupled.infra.data;

import io.decoupled.infra.Nag;
import io.decoupled.infra.Service;
import io.decoupled.infra.network.NetworkStack;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.InstanceClass;
import software.amazon.awscdk.services.ec2.InstanceSize;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.ParameterGroup;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.constructs.Construct;

/**
 * Database per service: order-service, shipping-service and analytics-service each get a PostgreSQL
 * instance of their own, so that none can read another's tables (the services share messages, never a
 * schema) and each holds only its own credentials. A small single-AZ instance is the cheapest way to run PostgreSQL around the
 * clock; Aurora Serverless v2 is the alternative when the load is bursty.
 */
public class DataStack extends Stack {

    /**
     * @param network     the VPC and the service security groups that may connect
     * @param keepOnDelete whether {@code cdk destroy} leaves a final snapshot of each database
     */
    public record Props(NetworkStack network, boolean keepOnDelete) {
        public Props {
            Objects.requireNonNull(network, "network");
        }
    }

    static final String USERNAME = "app";
    /** The PostgreSQL log RDS exports to CloudWatch ({@code cloudwatchLogsExports}). */
    static final String EXPORTED_LOG = "postgresql";

    private final Map<Service, ServiceDatabase> databases = new EnumMap<>(Service.class);

    public DataStack(Construct scope, String id, StackProps stackProps, Props props) {
        super(scope, id, stackProps);
        var engine = DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder()
                .version(PostgresEngineVersion.VER_17_6)
                .build());
        // Clients must use TLS; RDS refuses plain connections with this parameter. A session left idle inside a
        // transaction (its client cut off mid-transaction) is ended after a minute: while it lasts, it holds back the
        // horizon order-service's outbox relay reads up to (docs/order-service.md, "The relay"), and vacuum.
        var parameters = ParameterGroup.Builder.create(this, "Parameters")
                .engine(engine)
                .parameters(Map.of("rds.force_ssl", "1", "idle_in_transaction_session_timeout", "60000"))
                .build();

        for (var service : Service.values()) {
            if (!service.ownsDatabase()) {
                continue;
            }
            var securityGroup = SecurityGroup.Builder.create(this, service.id() + "DatabaseSecurityGroup")
                    .vpc(props.network().vpc())
                    .description("PostgreSQL of " + service.module() + ", reachable from its tasks only")
                    .allowAllOutbound(false)
                    .build();
            var databaseName = service.databaseName().orElseThrow();
            var identifier = instanceIdentifier(service);
            // RDS would create the exported log's group itself, kept for ever and left behind by cdk destroy. Created
            // here first, under the name RDS writes to, it has a retention and goes with the stack. (Not
            // cloudwatchLogsRetention: that adds a Lambda whose role may change the retention of every log group.)
            var logs = LogGroup.Builder.create(this, service.id() + "DatabaseLogs")
                    .logGroupName(exportedLogGroupName(identifier))
                    .retention(RetentionDays.ONE_MONTH)
                    .removalPolicy(RemovalPolicy.DESTROY)
                    .build();
            var instance = DatabaseInstance.Builder.create(this, service.id() + "Database")
                    // Fixed, like the other physical names, so that the log group's name is known before the instance.
                    .instanceIdentifier(identifier)
                    .engine(engine)
                    .parameterGroup(parameters)
                    .instanceType(InstanceType.of(InstanceClass.BURSTABLE4_GRAVITON, InstanceSize.MICRO))
                    .vpc(props.network().vpc())
                    .vpcSubnets(SubnetSelection.builder()
                            .subnetType(SubnetType.PRIVATE_ISOLATED)
                            .build())
                    .securityGroups(List.of(securityGroup))
                    .databaseName(databaseName)
                    // The password is generated into Secrets Manager at deploy time; it never appears in code,
                    // in the template or in a task definition.
                    .credentials(Credentials.fromGeneratedSecret(USERNAME))
                    .storageEncrypted(true)
                    .allocatedStorage(20)
                    .maxAllocatedStorage(50)
                    .backupRetention(Duration.days(7))
                    .multiAz(false)
                    .autoMinorVersionUpgrade(true)
                    .enablePerformanceInsights(false)
                    .cloudwatchLogsExports(List.of(EXPORTED_LOG))
                    .deletionProtection(props.keepOnDelete())
                    .removalPolicy(props.keepOnDelete() ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY)
                    .build();
            instance.getNode().addDependency(logs);
            Nag.acknowledgeCrossStackSubnets(instance);
            Nag.accept(
                    instance,
                    "AwsSolutions-RDS3",
                    "Single-AZ to keep the reference deployment cheap; a production "
                            + "deployment sets multiAz(true) (a standby in a second zone, about twice the cost).");
            Nag.accept(
                    instance,
                    "AwsSolutions-RDS11",
                    "The database sits in isolated subnets and admits only its own "
                            + "service's security group; a non-default port would hide nothing from those tasks.");
            Nag.accept(
                    instance,
                    "AwsSolutions-SMG4",
                    "ECS injects the credentials when a task starts, so a rotation would "
                            + "break running tasks until they restart. Rotation needs a restart hook or IAM database authentication: "
                            + "listed as future work in docs/infra.md.");
            if (!props.keepOnDelete()) {
                Nag.accept(
                        instance,
                        "AwsSolutions-RDS10",
                        "A reference deployment must tear down with cdk destroy; "
                                + "deploy with -c keepData=true to turn deletion protection on and keep a final snapshot.");
            }
            instance.getConnections()
                    .allowFrom(
                            props.network().securityGroupOf(service),
                            Port.tcp(5432),
                            "PostgreSQL from " + service.module() + " tasks");
            databases.put(
                    service,
                    new ServiceDatabase(
                            instance.getDbInstanceEndpointAddress(),
                            instance.getDbInstanceEndpointPort(),
                            databaseName,
                            Objects.requireNonNull(instance.getSecret(), "generated credentials")));
        }
    }

    /** The RDS instance identifier of a service's database, e.g. {@code decoupled-order-service}. */
    static String instanceIdentifier(Service service) {
        return "decoupled-" + service.module();
    }

    /** The log group RDS writes an instance's exported PostgreSQL log to. */
    static String exportedLogGroupName(String instanceIdentifier) {
        return "/aws/rds/instance/" + instanceIdentifier + "/" + EXPORTED_LOG;
    }

    /** The database of a service that owns one. */
    public ServiceDatabase databaseOf(Service service) {
        var database = databases.get(service);
        if (database == null) {
            throw new NoSuchElementException(service.module() + " keeps no database");
        }
        return database;
    }
}
