package io.decoupled.localaws;

import io.decoupled.topology.Topology;
import io.decoupled.topology.provision.ProvisionedTopology;
import io.decoupled.topology.provision.ProvisioningReport;
import io.decoupled.topology.provision.TopologyProvisioner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;

/**
 * The embedded AWS: fauxqs for SNS and SQS, kinesalite for Kinesis and dynalite for DynamoDB, each a Node
 * child process on a free loopback port, started in parallel, provisioned with the topology, and stopped
 * on {@link #close()} or when the JVM exits. All three are open source (MIT, MIT, Apache-2.0).
 *
 * <p>Kinesis runs on kinesalite rather than kinesis-local: measured here, kinesalite took PutRecords at
 * about 14,700 records/s, kinesis-local at 1,100 falling to 230 records/s as the stream grew. kinesalite
 * speaks CBOR that the SDK v2 cannot read, so clients use JSON ({@code CBOR_ENABLED=false}).
 *
 * <p>DynamoDB runs on dynalite behind a thin wrapper ({@code dynamodb.cjs}) that lets {@code UpdateTable} create
 * a global secondary index, as the KCL 3 does for its lease table; see docs/local-aws.md.
 */
public final class LocalAws implements AwsEnvironment {
    private static final Logger log = LoggerFactory.getLogger(LocalAws.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Map<AwsService, EmulatorProcess> processes;
    private final List<EmulatorProcess> distinct;
    private final Thread shutdownHook;
    private volatile ProvisionedTopology topology;

    private LocalAws(Map<AwsService, EmulatorProcess> processes) {
        this.processes = processes;
        this.distinct = processes.values().stream().distinct().toList();
        this.shutdownHook = new Thread(this::stopProcesses, "local-aws-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Everything the system uses, provisioned with {@link Topology#reference()}. */
    public static LocalAws startAll() {
        return builder().start();
    }

    @Override
    public Optional<URI> endpoint(AwsService service) {
        return Optional.ofNullable(processes.get(service)).map(EmulatorProcess::endpoint);
    }

    @Override
    public Region region() {
        return Region.US_EAST_1;
    }

    @Override
    public ProvisionedTopology topology() {
        if (topology == null) {
            throw new IllegalStateException("the topology was not provisioned on this environment");
        }
        return topology;
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public boolean kinesisNeedsJson() {
        return processes.containsKey(AwsService.KINESIS);
    }

    /** Provisions a topology (again); idempotent, and returns what changed. */
    public ProvisioningReport provision(Topology topology) {
        ProvisioningReport report;
        try (var sqs = sqs(); var sns = sns(); var kinesis = kinesis()) {
            report = new TopologyProvisioner(sqs, sns, kinesis).provision(topology);
        }
        this.topology = report.resources();
        return report;
    }

    public boolean isRunning() {
        return distinct.stream().allMatch(EmulatorProcess::isAlive);
    }

    @Override
    public void close() {
        stopProcesses();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or ran; nothing left to do
        }
    }

    private void stopProcesses() {
        distinct.forEach(EmulatorProcess::close);
    }

    @Override
    public String toString() {
        return "LocalAws" + distinct;
    }

    public static final class Builder {
        private final Set<AwsService> services = EnumSet.of(AwsService.SQS, AwsService.SNS, AwsService.KINESIS, AwsService.DYNAMODB);
        private Optional<Topology> topology = Optional.of(Topology.reference());

        private Builder() {
        }

        /** Only these services; fewer processes start faster. SQS and SNS always come together. */
        public Builder services(AwsService first, AwsService... rest) {
            services.clear();
            services.add(first);
            services.addAll(List.of(rest));
            if (services.contains(AwsService.SQS) || services.contains(AwsService.SNS)) {
                services.add(AwsService.SQS);
                services.add(AwsService.SNS);
            }
            return this;
        }

        public Builder topology(Topology topology) {
            this.topology = Optional.of(topology);
            return this;
        }

        public Builder withoutTopology() {
            this.topology = Optional.empty();
            return this;
        }

        public LocalAws start() {
            Prerequisites.java();
            String node = Prerequisites.node();
            Path home = EmulatorInstallation.ensureInstalled(node);
            var futures = new ArrayList<CompletableFuture<Map.Entry<List<AwsService>, EmulatorProcess>>>();
            var region = Map.of("AWS_REGION", Region.US_EAST_1.id());
            if (services.contains(AwsService.SQS)) {
                futures.add(CompletableFuture.supplyAsync(() -> Map.entry(List.of(AwsService.SQS, AwsService.SNS),
                        EmulatorProcess.startAnnouncing("fauxqs", List.of(node, "sqs-sns.mjs"), home, region, START_TIMEOUT))));
            }
            if (services.contains(AwsService.KINESIS)) {
                futures.add(CompletableFuture.supplyAsync(() -> Map.entry(List.of(AwsService.KINESIS),
                        EmulatorProcess.startAnnouncing("kinesalite", List.of(node, "kinesis.cjs"), home, region, START_TIMEOUT))));
            }
            if (services.contains(AwsService.DYNAMODB)) {
                futures.add(CompletableFuture.supplyAsync(() -> Map.entry(List.of(AwsService.DYNAMODB),
                        EmulatorProcess.startAnnouncing("dynalite", List.of(node, "dynamodb.cjs"), home, region, START_TIMEOUT))));
            }
            var processes = new EnumMap<AwsService, EmulatorProcess>(AwsService.class);
            RuntimeException failure = null;
            for (var future : futures) {
                try {
                    var entry = future.join();
                    entry.getKey().forEach(service -> processes.put(service, entry.getValue()));
                } catch (CompletionException e) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            }
            var localAws = new LocalAws(processes);
            if (failure != null) {
                localAws.close();
                throw failure;
            }
            log.info("Local AWS started: {}", localAws);
            topology.ifPresent(t -> {
                try {
                    localAws.provision(t);
                } catch (RuntimeException e) {
                    localAws.close();
                    throw e;
                }
            });
            return localAws;
        }
    }
}
