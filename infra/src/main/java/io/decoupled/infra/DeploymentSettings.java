package io.decoupled.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a deployer may choose, read from CDK context ({@code cdk deploy -c ingressCidr=203.0.113.7/32}) with
 * defaults that synthesize offline and deploy a small, cheap system. Validated here, so that a typo fails
 * the synth with a clear message instead of a CloudFormation rollback.
 *
 * @param region                  where to deploy: {@code -c region}, else the CLI's default region, else us-east-1
 * @param ingressCidr             who may reach the REST APIs; empty means anyone (0.0.0.0/0)
 * @param alarmEmail              an address subscribed to the alarm topic, if any
 * @param certificateArn          an ACM certificate for the load balancer: HTTPS only, HTTP redirects. Empty means plain
 *                                HTTP for the public APIs only: the admin API is then not served at all, and the synth
 *                                warns (docs/security.md)
 * @param apiAuthentication       /orders and /clicks need a bearer token from the Cognito user pool the stack creates
 *                                (a client-credentials app client); on by default, {@code -c apiAuthentication=false}
 *                                turns it off
 * @param enhancedFanOut          analytics reads the clickstream by enhanced fan-out (a registered stream consumer with
 *                                its own 2 MB/s per shard, pushed) instead of polling; off by default (docs/choosing.md)
 * @param keepData                keep a final database snapshot and turn on deletion protection
 * @param repositoryRoot          the directory holding the root Dockerfile (the image build context)
 * @param shippingMinTasks        lower bound of shipping-service tasks (0 scales to zero when idle)
 * @param shippingMaxTasks        upper bound of shipping-service tasks
 * @param acceptableLatency       how long a shipping order may wait in the queue
 * @param averageProcessingTime   measured time one shipping worker spends on one order
 * @param workersPerTask          concurrent shipping workers in one task
 * @param clickstream             which broker carries the clickstream: the Kinesis stream (default), or an MSK Serverless
 *                                cluster with IAM authentication instead ({@code -c clickstream=kafka}, docs/infra.md)
 */
public record DeploymentSettings(
        String region,
        Optional<String> ingressCidr,
        Optional<String> alarmEmail,
        Optional<String> certificateArn,
        boolean keepData,
        Path repositoryRoot,
        int shippingMinTasks,
        int shippingMaxTasks,
        Duration acceptableLatency,
        Duration averageProcessingTime,
        int workersPerTask,
        boolean enhancedFanOut,
        boolean apiAuthentication,
        ClickstreamBroker clickstream) {

    /** The broker of the clickstream, as the services' {@code clickstream.backend} settings name it. */
    public enum ClickstreamBroker {
        KINESIS,
        KAFKA
    }

    private static final Pattern CIDR = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    public DeploymentSettings {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(ingressCidr, "ingressCidr");
        Objects.requireNonNull(alarmEmail, "alarmEmail");
        Objects.requireNonNull(certificateArn, "certificateArn");
        Objects.requireNonNull(repositoryRoot, "repositoryRoot");
        Objects.requireNonNull(acceptableLatency, "acceptableLatency");
        Objects.requireNonNull(averageProcessingTime, "averageProcessingTime");
        Objects.requireNonNull(clickstream, "clickstream");
        if (enhancedFanOut && clickstream != ClickstreamBroker.KINESIS) {
            throw new IllegalArgumentException(
                    "enhancedFanOut is a Kinesis feature; it cannot be combined with clickstream=kafka");
        }
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
            throw new IllegalArgumentException("region must look like eu-central-1, was " + region);
        }
        ingressCidr.ifPresent(cidr -> {
            if (!CIDR.matcher(cidr).matches()) {
                throw new IllegalArgumentException(
                        "ingressCidr must be an IPv4 CIDR such as 203.0.113.7/32, was " + cidr);
            }
        });
        certificateArn.ifPresent(arn -> {
            if (!arn.matches("arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[A-Za-z0-9-]+")) {
                throw new IllegalArgumentException("certificateArn must be an ACM certificate ARN, was " + arn);
            }
        });
        alarmEmail.ifPresent(email -> {
            if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                throw new IllegalArgumentException("alarmEmail is not an e-mail address: " + email);
            }
        });
    }

    /**
     * The defaults: anyone may reach the load balancer, /orders and /clicks need a token, no alarm mail, data deleted with the stacks, 1 to 10 shipping
     * tasks of 4 workers, 10 s acceptable latency and 200 ms per order (shipping-service's own defaults for
     * its local policy), which makes 200 messages per task the target.
     */
    public static DeploymentSettings defaults(Path repositoryRoot) {
        return new DeploymentSettings(
                "us-east-1",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                repositoryRoot,
                1,
                10,
                Duration.ofSeconds(10),
                Duration.ofMillis(200),
                4,
                false,
                true,
                ClickstreamBroker.KINESIS);
    }

    /**
     * Settings from CDK context values ({@code lookup} returns null for an absent key) and the process
     * environment (for the region the CDK CLI passes as CDK_DEFAULT_REGION).
     */
    public static DeploymentSettings from(
            Function<String, Object> context, Function<String, String> environment, Path repositoryRoot) {
        var d = defaults(repositoryRoot);
        var region = text(context, "region")
                .or(() -> Optional.ofNullable(environment.apply("CDK_DEFAULT_REGION")))
                .orElse(d.region());
        return new DeploymentSettings(
                region,
                text(context, "ingressCidr"),
                text(context, "alarmEmail"),
                text(context, "certificateArn"),
                text(context, "keepData").map(Boolean::parseBoolean).orElse(d.keepData()),
                repositoryRoot,
                text(context, "shippingMinTasks").map(Integer::parseInt).orElse(d.shippingMinTasks()),
                text(context, "shippingMaxTasks").map(Integer::parseInt).orElse(d.shippingMaxTasks()),
                text(context, "shippingAcceptableLatency")
                        .map(DeploymentSettings::duration)
                        .orElse(d.acceptableLatency()),
                text(context, "shippingProcessingTime")
                        .map(DeploymentSettings::duration)
                        .orElse(d.averageProcessingTime()),
                text(context, "shippingWorkersPerTask").map(Integer::parseInt).orElse(d.workersPerTask()),
                text(context, "enhancedFanOut").map(Boolean::parseBoolean).orElse(d.enhancedFanOut()),
                text(context, "apiAuthentication").map(DeploymentSettings::flag).orElse(d.apiAuthentication()),
                text(context, "clickstream").map(DeploymentSettings::broker).orElse(d.clickstream()));
    }

    /** The directory upwards from {@code start} that holds the root Dockerfile and pom.xml. */
    public static Path findRepositoryRoot(Path start) {
        for (var dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("Dockerfile"))
                    && Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("infra"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no repository root (a directory with Dockerfile, pom.xml and infra/) above " + start);
    }

    /** A switch that defaults to on must not be turned off by a typo: only true or false. */
    static boolean flag(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("apiAuthentication must be true or false, was " + text);
        };
    }

    static ClickstreamBroker broker(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "kinesis" -> ClickstreamBroker.KINESIS;
            case "kafka", "msk" -> ClickstreamBroker.KAFKA;
            default -> throw new IllegalArgumentException("clickstream must be kinesis or kafka, was " + text);
        };
    }

    /** {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, or ISO-8601 such as {@code PT10S}. */
    static Duration duration(String text) {
        var matcher = SHORT_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration (use 250ms, 10s, 5m, 1h or PT10S): " + text, e);
        }
    }

    private static Optional<String> text(Function<String, Object> context, String key) {
        return Optional.ofNullable(context.apply(key))
                .map(String::valueOf)
                .map(String::trim)
                .filter(s -> !s.isEmpty());
    }
}
