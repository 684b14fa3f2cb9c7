package io.decoupled.localaws;

import io.decoupled.localaws.conformance.Behaviour;
import io.decoupled.localaws.conformance.ConformancePage;
import io.decoupled.localaws.conformance.ConformancePage.Column;
import io.decoupled.localaws.conformance.ConformanceRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes the conformance page when the test JVM's run ends (registered through
 * META-INF/services/org.junit.platform.launcher.TestExecutionListener). Always to target/conformance.md; to
 * docs/conformance.md (the {@code conformance.page} system property, set by the module's Failsafe configuration)
 * only when every behaviour was run on the embedded emulators, so that a run of one test class does not blank the
 * page's other rows. The build rewrites the page rather than failing on a difference because the outcomes depend on
 * the machine (LocalStack runs only where Docker answers): the diff is the news, and {@code ConformancePageTest}
 * fails when the committed page lacks a behaviour the contracts prove.
 */
public class ConformanceReport implements TestExecutionListener {
    /** The contract classes whose {@link Behaviour} tests make up the page. */
    static final List<Class<?>> CONTRACTS =
            List.of(AwsEnvironmentContract.class, SqsContract.class, LargePayloadContract.class);

    /** Behaviours the system relies on whose tests run in other modules' JVMs, named so that the page says where. */
    static final List<String> ELSEWHERE = List.of(
            "The DLQ redrive as shipping-service runs it (move task where supported, receive-and-send fallback on fauxqs): "
                    + "`ElasticMqMoveTaskRedriveIT`, `FauxqsFallbackRedriveIT`, `LocalStackMoveTaskRedriveIT` (shipping-service)",
            "KCL 3.5 lease table (leases, leader lock and worker metrics in one table), lease failover: `LeaseFailoverIT`, `KclWorkerKilledIT` on dynalite (analytics-service)",
            "Visibility heartbeat under load: `VisibilityHeartbeatIT` on fauxqs, `VisibilityHeartbeatLocalStackIT` (shipping-service)");

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        var recorded = ConformanceRecorder.recorded();
        if (recorded.isEmpty()) {
            return; // not a run of the contracts (the unit tests' JVM, or an unrelated IT selected alone)
        }
        var behaviours = behaviours();
        var page = ConformancePage.render(behaviours, recorded, whyNotRun(), ELSEWHERE);
        write(Path.of("target", "conformance.md"), page);
        var docs = System.getProperty("conformance.page");
        boolean complete =
                behaviours.stream().allMatch(b -> recorded.containsKey(new ConformancePage.Key(b, Column.EMBEDDED)));
        if (docs != null && complete) {
            write(Path.of(docs), page);
        }
    }

    /** Every behaviour of the contracts, by AWS API and then by name, so the page's order is stable. */
    static SequencedSet<String> behaviours() {
        return CONTRACTS.stream()
                .flatMap(c -> Arrays.stream(c.getDeclaredMethods()))
                .map(m -> m.getAnnotation(Behaviour.class))
                .filter(b -> b != null)
                .sorted(Comparator.comparing((Behaviour b) -> b.service().ordinal())
                        .thenComparing(Behaviour::value))
                .map(Behaviour::value)
                .collect(LinkedHashSet::new, LinkedHashSet::add, LinkedHashSet::addAll);
    }

    private static Map<Column, String> whyNotRun() {
        // ElasticMQ serves SQS alone, so it runs only SqsContract (queues the test creates).
        return LocalStackEnvironment.dockerAvailable()
                ? Map.of(Column.ELASTICMQ, "SQS only: runs SqsContract")
                : Map.of(Column.ELASTICMQ, "SQS only: runs SqsContract", Column.LOCALSTACK, "no Docker engine");
    }

    private static void write(Path file, String page) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
