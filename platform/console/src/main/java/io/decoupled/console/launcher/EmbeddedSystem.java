package io.decoupled.console.launcher;

import io.decoupled.console.ConsoleApplication;
import io.decoupled.console.faults.ProcessFaults;
import io.decoupled.localaws.AwsService;
import io.decoupled.localaws.LocalAws;
import io.decoupled.localaws.LocalPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole system on one machine without Docker: the emulators (fauxqs, kinesalite, dynalite) with
 * the topology provisioned, embedded PostgreSQL with a database per service, the four services as child
 * processes on free ports, and the console wired to them.
 *
 * <p>Stopping is ordered, because the order is what makes it clean: the load generator and the dashboard
 * first, then the services (SIGTERM, so they drain against emulators that are still there), then the
 * emulators and PostgreSQL. The signal handlers run that sequence before the JVM's shutdown hooks, which
 * would otherwise kill the emulators at the same moment as the services. Nothing is left behind: the next
 * run picks new free ports and starts from empty emulators and a new database directory.
 */
public final class EmbeddedSystem implements AutoCloseable {
    static final Duration HEALTH_TIMEOUT = Duration.ofMinutes(3);
    static final Duration SERVICE_GRACE = Duration.ofSeconds(40);
    static final String ANALYTICS = "analytics-service";
    static final String SHIPPING = "shipping-service";

    /**
     * How to start: where the jars are, how a service is launched (tests start fakes), whether to start the console, and
     * whether the clickstream runs on an embedded Kafka broker instead of the Kinesis emulator.
     */
    record Options(
            Path repositoryRoot,
            String version,
            int preferredConsolePort,
            boolean startConsole,
            Function<ServiceDefinition, Optional<List<String>>> commands,
            Path logDirectory,
            boolean kafkaClickstream) {

        Options(
                Path repositoryRoot,
                String version,
                int preferredConsolePort,
                boolean startConsole,
                Function<ServiceDefinition, Optional<List<String>>> commands,
                Path logDirectory) {
            this(repositoryRoot, version, preferredConsolePort, startConsole, commands, logDirectory, false);
        }

        static Options fromSystemProperties() {
            Path root = Path.of(System.getProperty("console.repository-root", "."))
                    .toAbsolutePath()
                    .normalize();
            String version = System.getProperty("console.version", "0.1.0-SNAPSHOT");
            int port = Integer.parseInt(System.getProperty("console.port", "8080"));
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path logs = root.resolve("platform/console/target/demo/" + stamp);
            return new Options(
                    root,
                    version,
                    port,
                    true,
                    jarCommand(
                            root,
                            version,
                            aotCache(System.getProperty("console.aot-cache")) ? AotCache.forThisJdk() : null),
                    logs,
                    kafkaClickstream(System.getProperty("console.clickstream")));
        }

        /** {@code -Dconsole.aot-cache=false} runs the fat jars as they are; the AOT cache is on by default. */
        static boolean aotCache(String setting) {
            if (setting == null || setting.isBlank()) {
                return true;
            }
            if (setting.equalsIgnoreCase("true") || setting.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(setting);
            }
            throw new IllegalArgumentException("console.aot-cache must be true or false, not '" + setting + "'");
        }

        /** {@code -Dconsole.clickstream=kafka} runs the clickstream on an embedded Kafka broker; kinesis (or nothing) keeps the default. */
        static boolean kafkaClickstream(String setting) {
            if (setting == null || setting.isBlank() || setting.equalsIgnoreCase("kinesis")) {
                return false;
            }
            if (setting.equalsIgnoreCase("kafka")) {
                return true;
            }
            throw new IllegalArgumentException("console.clickstream must be kinesis or kafka, not '" + setting + "'");
        }

        /**
         * Options for four service JVMs and the emulators sharing a laptop's cores and memory (measured in docs/benchmarks.md,
         * "End-to-end latency"): the serial collector (no concurrent GC threads or remembered sets on two cores), C1 only (no
         * C2 compiler threads competing with the services at start), smaller thread stacks, and a heap that starts small
         * and grows as the service needs it, up to a bound: the serial collector sizes the young generation from the
         * committed heap, so a heap committed in full from the start (192 MiB, the default initial size here) cycles
         * through a 51 MiB eden, all of it resident. Starting at 48 MiB, the heaps settled at 73-101 MiB under the
         * end-to-end benchmark's load and each service's RSS was 20-45 MiB lower (docs/benchmarks.md). The container images
         * (Dockerfile) are not changed.
         */
        static final List<String> SERVICE_JVM_OPTIONS = List.of(
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xss512k",
                "-Xms48m",
                "-Xmx192m",
                "-XX:+ExitOnOutOfMemoryError");

        /** {@code java <options> -jar <module>/target/<module>-<version>.jar}, or empty when that jar was not built. */
        static Function<ServiceDefinition, Optional<List<String>>> jarCommand(Path root, String version) {
            return jarCommand(root, version, null);
        }

        /**
         * As {@link #jarCommand(Path, String)}, run from the jar's extracted form with the JDK's AOT cache when
         * {@code aot} is given (the demo: {@link AotCache}).
         */
        static Function<ServiceDefinition, Optional<List<String>>> jarCommand(Path root, String version, AotCache aot) {
            return service -> {
                Path jar = root.resolve(service.module())
                        .resolve("target")
                        .resolve(service.module() + "-" + version + ".jar");
                if (!Files.isRegularFile(jar)) {
                    return Optional.empty();
                }
                var command = new ArrayList<String>();
                command.add(javaExecutable());
                command.addAll(SERVICE_JVM_OPTIONS);
                if (aot == null) {
                    command.addAll(List.of("-jar", jar.toString()));
                } else {
                    var launch = aot.launch(jar);
                    if (launch.use() == AotCache.Use.TRAIN) {
                        say("  " + service.name() + ": this run records an AOT cache, written when the service stops;"
                                + " later starts use it");
                    }
                    command.addAll(launch.arguments());
                }
                return Optional.of(List.copyOf(command));
            };
        }
    }

    private final Options options;
    private final LocalAws aws;
    private final LocalPostgres postgres;
    private final EmbeddedKafka kafka;
    private final DatabaseGate analyticsGate;
    private final List<ServiceProcess> services;
    private final ConfigurableApplicationContext console;
    private boolean closed;

    private EmbeddedSystem(
            Options options,
            LocalAws aws,
            LocalPostgres postgres,
            EmbeddedKafka kafka,
            DatabaseGate analyticsGate,
            List<ServiceProcess> services,
            ConfigurableApplicationContext console) {
        this.options = options;
        this.aws = aws;
        this.postgres = postgres;
        this.kafka = kafka;
        this.analyticsGate = analyticsGate;
        this.services = services;
        this.console = console;
    }

    public static void main(String[] args) {
        var system = start(Options.fromSystemProperties());
        Runnable stop = () -> {
            system.close();
            System.exit(0);
        };
        Signals.onTermination(stop);
        if (Boolean.getBoolean("console.exit-with-parent")) {
            Signals.onStdinClosed(stop);
        }
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static EmbeddedSystem start(Options options) {
        say("Starting the embedded system (no Docker): emulators, PostgreSQL, four services, console.");
        // The emulators' and PostgreSQL's own output goes to the run's log directory; the terminal shows this
        // launcher's lines.
        System.setProperty(
                LocalAws.LOG_DIRECTORY_PROPERTY, options.logDirectory().toString());
        // Their INFO lines (each queue and topic provisioned, PostgreSQL's binaries and startup) are what the launcher
        // sums up in its own lines below.
        LauncherLogs.warningsOnly(List.of("io.zonky", "io.decoupled.localaws", "io.decoupled.topology"));
        var awsStart = CompletableFuture.supplyAsync(LocalAws::startAll);
        var postgresStart = CompletableFuture.supplyAsync(
                () -> LocalPostgres.start(options.logDirectory().resolve("postgresql.log")));
        var kafkaStart = options.kafkaClickstream() ? CompletableFuture.supplyAsync(EmbeddedKafka::start) : null;
        // Each service's command, meanwhile: with the AOT cache the first start of a build extracts the jar (seconds).
        var commands = new LinkedHashMap<ServiceDefinition, CompletableFuture<Optional<List<String>>>>();
        for (var definition : ServiceDefinition.ALL) {
            commands.put(
                    definition,
                    CompletableFuture.supplyAsync(() -> options.commands().apply(definition)));
        }
        LocalAws aws = null;
        LocalPostgres postgres = null;
        EmbeddedKafka kafka = null;
        DatabaseGate analyticsGate = null;
        var services = new ArrayList<ServiceProcess>();
        try {
            aws = awsStart.join();
            postgres = postgresStart.join();
            say("  AWS emulators ready and topology provisioned: " + endpoints(aws));
            say("  PostgreSQL ready on port " + postgres.port());
            if (kafkaStart != null) {
                kafka = kafkaStart.join();
                say("  Kafka (embedded KRaft broker) ready on " + kafka.bootstrapServers()
                        + ": the clickstream runs on Kafka");
            }
            pointThisJvmAt(aws);

            String adminToken = UUID.randomUUID().toString();
            var consoleProperties = new LinkedHashMap<String, Object>();
            consoleProperties.put("console.services.shipping-admin-token", adminToken);
            if (kafka != null) {
                // The stream panel shows partitions, committed offsets and lag instead of shards and KCL checkpoints.
                consoleProperties.put("console.stream.backend", "kafka");
                consoleProperties.put("console.stream.kafka.bootstrap-servers", kafka.bootstrapServers());
            }
            for (var definition : ServiceDefinition.ALL) {
                var command = commands.get(definition).join();
                if (command.isEmpty()) {
                    say("  " + definition.name() + ": no jar under " + definition.module()
                            + "/target; not started (build it first)");
                    continue;
                }
                var env = new HashMap<>(aws.environment());
                for (var db : definition.database().stream().toList()) {
                    String url = postgres.createDatabase(db);
                    if (definition.name().equals(ANALYTICS)) {
                        // analytics reaches its database through a gate, so the console's switch can cut it off alone.
                        analyticsGate = new DatabaseGate(postgres.port());
                        url = analyticsGate.jdbcUrl(db);
                    }
                    env.putAll(definition.datasourceEnvironment(url));
                }
                env.put("SHIPPING_ADMIN_TOKEN", adminToken);
                // The console's fault switches (carrier latency and failures, SNS unreachable): only this local demo
                // turns them on.
                env.put("SHIPPING_DEMO_FAULTS_ENABLED", "true");
                env.put("ORDER_DEMO_FAULTS_ENABLED", "true");
                if (kafka != null) {
                    // Each service reads only its own switch (click-ingest the first, analytics the second).
                    env.put("CLICKSTREAM_BACKEND", "kafka");
                    env.put("ANALYTICS_CLICKSTREAM_BACKEND", "kafka");
                    env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
                }
                // Settings for one machine (application-local.yml where a service has one); AWS keeps the defaults.
                env.put("SPRING_PROFILES_ACTIVE", "local");
                // Loopback only: nothing on the network reaches a laptop's demo services.
                env.put("SERVER_ADDRESS", "127.0.0.1");
                // The dashboard reads meters by name (/actuator/metrics); a service's own default exposes health and
                // prometheus only. Loopback, so this widens nothing beyond this machine (docs/security.md).
                env.put("MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE", "health,prometheus,metrics");
                services.add(ServiceProcess.start(
                        definition.name(),
                        command.get(),
                        env,
                        EmbeddedSystem::freePort,
                        options.logDirectory().resolve(definition.name() + ".log")));
            }
            awaitHealthy(services);
            // Only now: a service that lost its first port to another process was started again on a new one.
            for (var definition : ServiceDefinition.ALL) {
                named(services, definition.name())
                        .ifPresent(s -> consoleProperties.put(
                                definition.consoleUrlProperty(), s.url().toString()));
            }

            ConfigurableApplicationContext console = null;
            if (options.startConsole()) {
                var faults = new EmbeddedFaults(
                        Optional.ofNullable(analyticsGate), named(services, SHIPPING), Clock.systemUTC());
                console = startConsole(options, consoleProperties, faults);
                printBanner(console, services, options);
            }
            return new EmbeddedSystem(options, aws, postgres, kafka, analyticsGate, List.copyOf(services), console);
        } catch (RuntimeException e) {
            services.forEach(s -> s.stop(Duration.ofSeconds(5)));
            if (analyticsGate != null) {
                analyticsGate.close();
            }
            if (kafka != null) {
                kafka.close();
            } else if (kafkaStart != null) {
                kafkaStart.thenAccept(EmbeddedKafka::close);
            }
            if (aws != null) {
                aws.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            throw e;
        }
    }

    List<ServiceProcess> services() {
        return services;
    }

    private static Optional<ServiceProcess> named(List<ServiceProcess> services, String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    LocalAws aws() {
        return aws;
    }

    LocalPostgres postgres() {
        return postgres;
    }

    Optional<EmbeddedKafka> kafka() {
        return Optional.ofNullable(kafka);
    }

    Optional<URI> consoleUrl() {
        return Optional.ofNullable(console)
                .map(c -> URI.create("http://localhost:" + c.getEnvironment().getProperty("local.server.port")));
    }

    /** Stops everything, in order; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        System.clearProperty(LocalAws.LOG_DIRECTORY_PROPERTY);
        say("Stopping: load generator and dashboard...");
        if (console != null) {
            console.close();
        }
        say("Stopping: services (SIGTERM, up to " + SERVICE_GRACE.toSeconds() + " s each to drain)...");
        var stops = services.stream()
                .map(s -> CompletableFuture.supplyAsync(() -> {
                    boolean clean = s.stop(SERVICE_GRACE);
                    say("  " + s.name() + (clean ? " stopped" : " did not stop in time and was killed"));
                    return clean;
                }))
                .toList();
        stops.forEach(CompletableFuture::join);
        if (analyticsGate != null) {
            analyticsGate.close();
        }
        say("Stopping: emulators" + (kafka != null ? ", Kafka" : "") + " and PostgreSQL...");
        if (kafka != null) {
            kafka.close();
        }
        aws.close();
        postgres.close();
        say("Stopped. Logs are in " + options.logDirectory());
    }

    private static void awaitHealthy(List<ServiceProcess> services) {
        if (services.isEmpty()) {
            return;
        }
        say("  waiting for the services to report healthy...");
        var waits = services.stream()
                .map(s -> CompletableFuture.runAsync(() -> {
                    try {
                        var took = s.awaitStarted(HEALTH_TIMEOUT);
                        say(String.format(
                                "  %-21s up on %s in %d s (log %s)", s.name(), s.url(), took.toSeconds(), s.log()));
                    } catch (IllegalStateException e) {
                        // The rest of the system is still worth showing: the dashboard marks this one unavailable.
                        say("  " + s.name() + " did not become healthy: " + e.getMessage());
                    }
                }))
                .toList();
        waits.forEach(CompletableFuture::join);
    }

    private static ConfigurableApplicationContext startConsole(
            Options options, Map<String, Object> properties, ProcessFaults faults) {
        return onPreferredPortOrAnyFree(options.preferredConsolePort(), port -> startConsole(port, properties, faults));
    }

    private static ConfigurableApplicationContext startConsole(
            int port, Map<String, Object> properties, ProcessFaults faults) {
        var defaults = new HashMap<String, Object>(properties);
        defaults.put("server.port", port);
        defaults.put("console.load.enabled", "true");
        defaults.put("spring.main.banner-mode", "off");
        defaults.put("logging.level.root", "warn");
        defaults.put("logging.level.io.decoupled", "info");
        var application = new SpringApplication(ConsoleApplication.class);
        // Defaults only: -Dconsole.load.orders-per-second=10 and the like still win.
        application.setDefaultProperties(defaults);
        application.setRegisterShutdownHook(false);
        // "Starting EmbeddedSystem using Java ..." and the profile line: the banner below says what matters.
        application.setLogStartupInfo(false);
        // The process-level fault switches exist only here, where the console owns the processes.
        application.addInitializers(context -> context.getBeanFactory().registerSingleton("processFaults", faults));
        return application.run();
    }

    /** The console's own SDK clients read these standard settings, exactly as they read AWS_ENDPOINT_URL in Docker. */
    private static void pointThisJvmAt(LocalAws aws) {
        System.setProperty("aws.region", aws.region().id());
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_KEY);
        for (var service : AwsService.values()) {
            aws.endpoint(service).ifPresent(uri -> System.setProperty(service.systemProperty(), uri.toString()));
        }
        if (aws.kinesisNeedsJson()) {
            System.setProperty("aws.cborEnabled", "false");
        }
    }

    private static void printBanner(
            ConfigurableApplicationContext console, List<ServiceProcess> services, Options options) {
        String url = "http://localhost:" + console.getEnvironment().getProperty("local.server.port");
        say("");
        say("  ==> Dashboard: " + url);
        say("      " + services.size() + " of " + ServiceDefinition.ALL.size()
                + " services running; the load generator is on" + " (change it on the page). Logs: "
                + options.logDirectory());
        say("      Press Ctrl-C to stop everything.");
        say("");
    }

    private static String endpoints(LocalAws aws) {
        var parts = new ArrayList<String>();
        for (var service : List.of(AwsService.SQS, AwsService.KINESIS, AwsService.DYNAMODB)) {
            aws.endpoint(service).ifPresent(uri -> parts.add(service.name() + " " + uri.getPort()));
        }
        return String.join(", ", parts);
    }

    /** A port free at this moment; a service given it may still lose it before it binds (see {@link ServiceProcess}). */
    static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /**
     * Starts a server on the preferred port when it is free (a stable URL is friendlier), otherwise on 0, any port free
     * when it binds (the banner reads the one it got, {@code local.server.port}). The preferred port is checked before
     * the server binds it, so another process may take it in between: then the server fails with
     * {@link PortInUseException} and is started again on 0, rather than the demo ending for a port it did not need.
     */
    static <T> T onPreferredPortOrAnyFree(int preferred, IntFunction<T> start) {
        int port = portOrAnyFree(preferred);
        try {
            return start.apply(port);
        } catch (RuntimeException e) {
            if (port == 0 || !causedBy(e, PortInUseException.class)) {
                throw e;
            }
            say("  Port " + port + " was taken before the console bound it; the console takes any free port instead.");
            return start.apply(0);
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** The preferred port when it is free at this moment, otherwise 0 (any free port). */
    static int portOrAnyFree(int preferred) {
        try (var socket = new ServerSocket(preferred)) {
            return preferred;
        } catch (IOException taken) {
            return 0;
        }
    }

    static String javaExecutable() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
