package io.decoupled.localaws;

import io.decoupled.topology.Topology;
import io.decoupled.topology.provision.PayloadBucket;
import io.decoupled.topology.provision.ProvisionedTopology;
import io.decoupled.topology.provision.ProvisioningReport;
import io.decoupled.topology.provision.TopologyProvisioner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
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
 *
 * <p>Fault injection: {@link #takeDown} and {@link #bringBack} make one endpoint unreachable and bring it back on the
 * same port with its data, as an AWS endpoint that fails for a while does. kinesalite and dynalite are killed
 * (SIGKILL) and restarted on their LevelDB directories ({@link Builder#persistent()}); fauxqs cannot keep state
 * across a restart, so its process stays up and closes its port and every connection instead (docs/local-aws.md).
 */
public final class LocalAws implements AwsEnvironment {
    private static final Logger log = LoggerFactory.getLogger(LocalAws.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration OUTAGE_TIMEOUT = Duration.ofSeconds(30);

    /** Guarded by {@code this}: {@link #bringBack} replaces a restarted emulator's process. */
    private final Map<AwsService, EmulatorProcess> processes;

    private final Optional<Path> dataDirectory;
    private final Thread shutdownHook;
    private volatile ProvisionedTopology topology;

    private LocalAws(Map<AwsService, EmulatorProcess> processes, Optional<Path> dataDirectory) {
        this.processes = processes;
        this.dataDirectory = dataDirectory;
        this.shutdownHook = new Thread(this::stopProcesses, "local-aws-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The system property naming the directory the emulators' logs go to; unset, a build's {@code target/local-aws-logs}. */
    public static final String LOG_DIRECTORY_PROPERTY = "localaws.log-directory";

    public static Builder builder() {
        return new Builder();
    }

    /** Everything the system uses, provisioned with {@link Topology#reference()}. */
    public static LocalAws startAll() {
        return builder().start();
    }

    @Override
    public synchronized Optional<URI> endpoint(AwsService service) {
        return Optional.ofNullable(processes.get(service)).map(EmulatorProcess::endpoint);
    }

    private synchronized List<EmulatorProcess> distinct() {
        return processes.values().stream().distinct().toList();
    }

    /**
     * Makes a service's endpoint unreachable (connections refused) until {@link #bringBack}. kinesalite and dynalite
     * are killed with SIGKILL, as in a crash, which needs their data on disk ({@link Builder#persistent()}). fauxqs
     * keeps its state only in memory, so it is not killed: it closes its port and every open connection and keeps
     * its queues, topics and messages (with their visibility timers running). SQS and SNS go down together.
     */
    public synchronized void takeDown(AwsService service) {
        var process = require(service);
        if (keepsStateOnlyInMemory(service)) {
            process.send("offline");
            process.awaitAccepting(false, OUTAGE_TIMEOUT);
        } else {
            if (dataDirectory.isEmpty()) {
                throw new IllegalStateException(
                        service + " keeps its data in memory here: a restart would lose it. Start with persistent().");
            }
            process.kill();
        }
        log.info("{} taken down", service);
    }

    /** Brings a service taken down back on the same port, with the data it had (see {@link #takeDown}). */
    public synchronized void bringBack(AwsService service) {
        var process = require(service);
        if (keepsStateOnlyInMemory(service)) {
            process.send("online");
            process.awaitAccepting(true, OUTAGE_TIMEOUT);
        } else if (!process.isAlive()) {
            var restarted = process.restartOnSamePort();
            processes.replaceAll((s, p) -> p == process ? restarted : p);
        }
        log.info("{} back on {}", service, processes.get(service).endpoint());
    }

    private static boolean keepsStateOnlyInMemory(AwsService service) {
        return service == AwsService.SQS || service == AwsService.SNS || service == AwsService.S3;
    }

    private EmulatorProcess require(AwsService service) {
        var process = processes.get(service);
        if (process == null) {
            throw new IllegalArgumentException(service + " is not running in this environment");
        }
        return process;
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
        try (var sqs = sqs();
                var sns = sns();
                var kinesis = kinesis()) {
            report = new TopologyProvisioner(sqs, sns, kinesis).provision(topology);
        }
        if (processes.containsKey(AwsService.S3)) {
            try (var s3 = s3()) {
                PayloadBucket.ensure(s3, Topology.LOCAL_PAYLOAD_BUCKET);
            }
        }
        this.topology = report.resources();
        return report;
    }

    public boolean isRunning() {
        return distinct().stream().allMatch(EmulatorProcess::isAlive);
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
        distinct().forEach(EmulatorProcess::close);
        dataDirectory.ifPresent(LocalAws::deleteQuietly);
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete {}: {}", directory, e.toString());
        }
    }

    @Override
    public String toString() {
        return "LocalAws" + distinct();
    }

    public static final class Builder {
        private final Set<AwsService> services =
                EnumSet.of(AwsService.SQS, AwsService.SNS, AwsService.S3, AwsService.KINESIS, AwsService.DYNAMODB);
        private Optional<Topology> topology = Optional.of(Topology.reference());
        private boolean persistent;

        private Builder() {}

        /**
         * kinesalite and dynalite keep their data in LevelDB directories (a temporary directory, deleted on close)
         * instead of memory, so that {@link #takeDown} and {@link #bringBack} can kill and restart them with their
         * data. Off by default: memory is faster, and most tests never restart an emulator.
         */
        public Builder persistent() {
            this.persistent = true;
            return this;
        }

        /** Only these services; fewer processes start faster. SQS, SNS and S3 (one process) always come together. */
        public Builder services(AwsService first, AwsService... rest) {
            services.clear();
            services.add(first);
            services.addAll(List.of(rest));
            if (services.contains(AwsService.SQS)
                    || services.contains(AwsService.SNS)
                    || services.contains(AwsService.S3)) {
                services.add(AwsService.SQS);
                services.add(AwsService.SNS);
                services.add(AwsService.S3);
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
            Optional<Path> data = persistent ? Optional.of(createDataDirectory()) : Optional.empty();
            if (services.contains(AwsService.SQS)) {
                futures.add(CompletableFuture.supplyAsync(() -> Map.entry(
                        List.of(AwsService.SQS, AwsService.SNS, AwsService.S3),
                        EmulatorProcess.startAnnouncing(
                                "fauxqs", List.of(node, "sqs-sns.mjs"), home, region, START_TIMEOUT))));
            }
            if (services.contains(AwsService.KINESIS)) {
                futures.add(CompletableFuture.supplyAsync(() -> Map.entry(
                        List.of(AwsService.KINESIS),
                        EmulatorProcess.startAnnouncing(
                                "kinesalite",
                                List.of(node, "kinesis.cjs"),
                                home,
                                withData(region, data, "kinesis"),
                                START_TIMEOUT))));
            }
            if (services.contains(AwsService.DYNAMODB)) {
                futures.add(CompletableFuture.supplyAsync(() -> Map.entry(
                        List.of(AwsService.DYNAMODB),
                        EmulatorProcess.startAnnouncing(
                                "dynalite",
                                List.of(node, "dynamodb.cjs"),
                                home,
                                withData(region, data, "dynamodb"),
                                START_TIMEOUT))));
            }
            var processes = new EnumMap<AwsService, EmulatorProcess>(AwsService.class);
            RuntimeException failure = null;
            for (var future : futures) {
                try {
                    var entry = future.join();
                    entry.getKey().forEach(service -> processes.put(service, entry.getValue()));
                } catch (CompletionException e) {
                    failure =
                            e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            }
            var localAws = new LocalAws(processes, data);
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

        private static Map<String, String> withData(Map<String, String> env, Optional<Path> data, String subdirectory) {
            var withData = new HashMap<>(env);
            data.ifPresent(directory ->
                    withData.put("DATA_PATH", directory.resolve(subdirectory).toString()));
            return withData;
        }

        private static Path createDataDirectory() {
            try {
                return Files.createTempDirectory("local-aws-data-");
            } catch (IOException e) {
                throw new UncheckedIOException("could not create a data directory for the emulators", e);
            }
        }
    }
}
