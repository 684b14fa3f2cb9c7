package io.decoupled.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.console.load.LoadProperties;
import io.decoupled.console.services.ServicesProperties;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml checked without Docker: pinned images, the emulator choice, health-gated start order,
 * memory limits, and ports, endpoints, databases and console wiring that agree with the services' own
 * configuration. Every test reads the real files, so renaming a port or a database breaks the build here
 * rather than a {@code docker compose up} somewhere else.
 */
class ComposeFileTest {
    static final Path ROOT = Path.of(System.getProperty("console.repository-root", "../.."))
            .toAbsolutePath()
            .normalize();
    static final List<String> APP_SERVICES =
            List.of("order-service", "shipping-service", "click-ingest-service", "analytics-service");
    static final List<String> EMULATORS = List.of("localstack", "floci");
    private static final Pattern PINNED = Pattern.compile("[a-z0-9./-]+:[A-Za-z0-9._-]*\\d[A-Za-z0-9._-]*");

    private final Map<String, Map<String, Object>> services = services();

    @Test
    void everyImageIsPinnedToAVersionNeverLatest() {
        services.forEach((name, service) -> {
            String image = (String) service.get("image");
            assertThat(image)
                    .as("image of %s", name)
                    .isNotNull()
                    .matches(PINNED)
                    .doesNotEndWith(":latest");
        });
    }

    @Test
    void theLocalStackImageIsTheOneTheBuildPinsForTestcontainers() throws Exception {
        var pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(ROOT.resolve("pom.xml").toFile());
        String pinned = pom.getElementsByTagName("localstack.image")
                .item(0)
                .getTextContent()
                .strip();

        assertThat(services.get("localstack").get("image")).isEqualTo(pinned);
        assertThat(pinned).isEqualTo("localstack/localstack:4.14.0");
    }

    @Test
    void theTwoEmulatorsAreSelectedByProfileAndBothAnswerAsAws() {
        for (String emulator : EMULATORS) {
            var service = services.get(emulator);
            assertThat(list(service.get("profiles")))
                    .as("profiles of %s", emulator)
                    .containsExactly(emulator);
            var aliases = list(map(map(service.get("networks")).get("default")).get("aliases"));
            assertThat(aliases).as("aliases of %s", emulator).containsExactly("aws");
            assertThat(list(service.get("ports")))
                    .as("published on the host's loopback only")
                    .containsExactly("127.0.0.1:4566:4566");
        }
        assertThat((String) services.get("floci").get("image")).matches("floci/floci:\\d+\\.\\d+\\.\\d+");
        // Everything else runs whichever emulator was chosen: no other service carries a profile.
        services.keySet().stream()
                .filter(n -> !EMULATORS.contains(n))
                .forEach(
                        n -> assertThat(services.get(n)).as("profiles of %s", n).doesNotContainKey("profiles"));
    }

    @Test
    void aPlainUpStartsExactlyOneEmulatorChosenByTheCommittedEnvFile() throws IOException {
        var settings = new LinkedHashMap<String, String>();
        for (String line : Files.readAllLines(ROOT.resolve(".env"))) {
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                settings.put(
                        line.substring(0, line.indexOf('=')).strip(),
                        line.substring(line.indexOf('=') + 1).strip());
            }
        }
        // A profile names one emulator; with none, no emulator would start and every service would fail.
        assertThat(settings).containsOnlyKeys("COMPOSE_PROFILES");
        assertThat(List.of(settings.get("COMPOSE_PROFILES").split(","))).containsExactly("localstack");
        assertThat(Files.readString(ROOT.resolve(".dockerignore")))
                .as("the .env file stays out of image contexts")
                .contains(".env");
    }

    @Test
    void everyLongRunningServiceHasAHealthCheckAndEveryServiceAMemoryLimit() {
        services.forEach((name, service) -> {
            var limits = map(map(map(service.get("deploy")).get("resources")).get("limits"));
            assertThat(limits.get("memory")).as("memory limit of %s", name).isNotNull();
            if (!name.equals("provision")) {
                assertThat(list(map(service.get("healthcheck")).get("test")))
                        .as("health check of %s", name)
                        .isNotEmpty();
            }
        });
    }

    @Test
    void startOrderWaitsForHealthAndForProvisioningNeverJustForAStart() {
        services.forEach((name, service) -> {
            if (service.containsKey("depends_on")) {
                map(service.get("depends_on")).forEach((dependency, spec) -> {
                    assertThat(services)
                            .as("%s depends on %s", name, dependency)
                            .containsKey((String) dependency);
                    String condition = (String) map(spec).get("condition");
                    assertThat(condition)
                            .as("%s waits for %s", name, dependency)
                            .isEqualTo(
                                    dependency.equals("provision")
                                            ? "service_completed_successfully"
                                            : "service_healthy");
                });
            }
        });
        for (String app : concat(APP_SERVICES, List.of("console"))) {
            assertThat(map(services.get(app).get("depends_on")))
                    .as("%s waits for provisioning", app)
                    .containsKey("provision");
        }
        var provisionDeps = map(services.get("provision").get("depends_on"));
        for (String emulator : EMULATORS) {
            // Only one emulator runs; required: false lets the provisioner wait for whichever it is.
            assertThat(map(provisionDeps.get(emulator)).get("required")).isEqualTo(false);
        }
        assertThat(list(services.get("provision").get("command"))).containsExactly("provision");
        assertThat(services.get("provision").get("restart")).isEqualTo("no");
    }

    @Test
    void eachServiceIsBuiltFromItsModuleAndListensOnItsConfiguredPort() throws IOException {
        String rootPom = Files.readString(ROOT.resolve("pom.xml"));
        for (String app : APP_SERVICES) {
            var service = services.get(app);
            var build = map(service.get("build"));
            assertThat(map(build.get("args")).get("MODULE")).isEqualTo(app);
            assertThat(rootPom).contains("<module>" + app + "</module>");
            assertThat(ROOT.resolve(
                            build.getOrDefault("dockerfile", "Dockerfile").toString()))
                    .exists();

            String configuredPort = defaultPort(app);
            String port = env(app).get("PORT");
            assertThat(port).as("PORT of %s", app).isEqualTo(configuredPort);
            assertThat(list(service.get("ports")))
                    .as("published on the host's loopback only")
                    .containsExactly("127.0.0.1:" + port + ":" + port);
            assertThat(String.join(" ", list(map(service.get("healthcheck")).get("test"))))
                    .contains("/actuator/health");
        }
        assertThat(ROOT.resolve(map(services.get("console").get("build"))
                        .get("dockerfile")
                        .toString()))
                .exists();
    }

    @Test
    void servicesFindAwsThroughTheStandardSettingsOnly() {
        for (String app : concat(APP_SERVICES, List.of("console", "provision"))) {
            var env = env(app);
            assertThat(env)
                    .as("environment of %s", app)
                    .containsEntry("AWS_ENDPOINT_URL", "http://aws:4566")
                    .containsEntry("AWS_REGION", "us-east-1")
                    .containsKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
            assertThat(env.keySet())
                    .as("environment of %s", app)
                    .noneMatch(k -> k.startsWith("LOCALSTACK") || k.startsWith("FLOCI"));
        }
    }

    @Test
    void eachDatabaseIsCreatedAtInitAndOwnedByOneService() throws IOException {
        String init = Files.readString(ROOT.resolve("platform/console/src/main/docker/create-databases.sql"));
        var mount = list(services.get("postgres").get("volumes")).getFirst();
        assertThat(ROOT.resolve(mount.substring(2, mount.indexOf(':')))).exists();
        var owners =
                Map.of("order-service", "orders", "shipping-service", "shipping", "analytics-service", "analytics");
        owners.forEach((app, database) -> {
            assertThat(env(app)).containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/" + database);
            assertThat(init).containsIgnoringCase("CREATE DATABASE " + database + ";");
        });
        owners.keySet()
                .forEach(app -> assertThat(
                                map(map(services.get(app).get("depends_on")).get("postgres"))
                                        .get("condition"))
                        .as("%s waits for PostgreSQL", app)
                        .isEqualTo("service_healthy"));
    }

    @Test
    void theConsoleIsWiredToTheServicesByTheirComposeNamesAndPorts() throws IOException {
        var env = env("console");
        // Bind exactly as Spring binds the container's environment, so a misspelt variable fails here.
        var source = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.copyOf(env));
        var binder = new Binder(ConfigurationPropertySources.from(source));
        var bound = binder.bind("console.services", ServicesProperties.class).get();
        assertThat(bound.orderUrl())
                .isEqualTo(URI.create(
                        "http://order-service:" + env("order-service").get("PORT")));
        assertThat(bound.shippingUrl())
                .isEqualTo(URI.create(
                        "http://shipping-service:" + env("shipping-service").get("PORT")));
        assertThat(bound.clickUrl())
                .isEqualTo(URI.create("http://click-ingest-service:"
                        + env("click-ingest-service").get("PORT")));
        assertThat(bound.analyticsUrl())
                .isEqualTo(URI.create(
                        "http://analytics-service:" + env("analytics-service").get("PORT")));
        assertThat(binder.bind("console.load", LoadProperties.class).get().enabled())
                .isTrue();
        assertThat(list(services.get("console").get("ports"))).containsExactly("127.0.0.1:8080:8080");
        // Beyond loopback inside its container, so its actions require a token (console.security).
        assertThat(env.get("SERVER_ADDRESS")).isEqualTo("0.0.0.0");
    }

    @Test
    void theShippingAdminTokenIsMadePerStartAndNeverWrittenInTheFile() throws IOException {
        var compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        assertThat(compose).doesNotContain("local-admin-token");
        assertThat(env("shipping-service")).doesNotContainKey("SHIPPING_ADMIN_TOKEN");
        // the service itself has no built-in token either
        assertThat(Files.readString(ROOT.resolve("shipping-service/src/main/resources/application.yml")))
                .doesNotContain("token:");

        // the provisioner writes it (the operator's SHIPPING_ADMIN_TOKEN, else a random one) into the shared volume ...
        var provision = env("provision");
        var file = Path.of(provision.get("PROVISION_ADMIN_TOKEN_FILE"));
        assertThat(provision.get("SHIPPING_ADMIN_TOKEN")).isEqualTo("${SHIPPING_ADMIN_TOKEN:-}");
        assertThat(list(services.get("provision").get("volumes"))).containsExactly("admin-token:" + file.getParent());
        assertThat(Files.readString(ROOT.resolve("docker-compose.yml")))
                .containsPattern("(?m)^volumes:\\n  # .*\\n  admin-token:");

        // ... named as the property shipping-service binds, and read by both as a config tree, read-only
        assertThat(file.getFileName().toString()).isEqualTo("shipping.admin.token");
        assertThat(Files.readString(ROOT.resolve(
                        "shipping-service/src/main/java/io/decoupled/shipping/redrive/AdminProperties.java")))
                .contains("@ConfigurationProperties(\"shipping.admin\")", " token,");
        for (var reader : List.of("shipping-service", "console")) {
            assertThat(env(reader).get("SPRING_CONFIG_IMPORT"))
                    .as(reader)
                    .isEqualTo("optional:configtree:" + file.getParent() + "/");
            assertThat(list(services.get(reader).get("volumes")))
                    .as(reader)
                    .contains("admin-token:" + file.getParent() + ":ro");
            assertThat(map(services.get(reader).get("depends_on"))).as(reader).containsKey("provision");
        }

        // the console resolves the placeholder compose passes on ($$ is a literal $) from that same file
        var unescaped = new LinkedHashMap<String, Object>();
        env("console").forEach((k, v) -> unescaped.put(k, v.replace("$$", "$")));
        var sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, unescaped));
        sources.addLast(new MapPropertySource(
                "configtree:" + file.getParent(), Map.of("shipping.admin.token", "token-of-this-start")));
        var binder = new Binder(
                ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources));
        assertThat(binder.bind("console.services", ServicesProperties.class)
                        .get()
                        .shippingAdminToken())
                .isEqualTo("token-of-this-start");
    }

    private Map<String, String> env(String service) {
        var env = new LinkedHashMap<String, String>();
        map(services.get(service).get("environment")).forEach((k, v) -> env.put((String) k, String.valueOf(v)));
        return env;
    }

    private static String defaultPort(String module) {
        try {
            var yaml = Files.readString(ROOT.resolve(module).resolve("src/main/resources/application.yml"));
            var m = Pattern.compile("port: \\$\\{PORT:(\\d+)}").matcher(yaml);
            assertThat(m.find())
                    .as("%s configures server.port from PORT", module)
                    .isTrue();
            return m.group(1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() {
        try (var in = Files.newInputStream(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return (Map<String, Map<String, Object>>) compose.get("services");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read docker-compose.yml at " + ROOT, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> map(Object value) {
        return value == null ? Map.of() : (Map<Object, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object value) {
        return value == null
                ? List.of()
                : ((List<Object>) value).stream().map(String::valueOf).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
