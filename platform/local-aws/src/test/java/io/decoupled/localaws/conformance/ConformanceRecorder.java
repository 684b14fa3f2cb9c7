package io.decoupled.localaws.conformance;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Records the outcome of every {@link Behaviour} test per environment, for this test JVM. The page is written from
 * these records when the run ends ({@link ConformanceReport}); nothing is typed into the page by hand.
 */
public class ConformanceRecorder implements TestWatcher {
    /** (behaviour, column) to outcome, for the whole JVM: the contract classes run one after another. */
    private static final Map<ConformancePage.Key, ConformancePage.Outcome> RECORDED = new ConcurrentHashMap<>();

    /** What this JVM has recorded so far. */
    public static Map<ConformancePage.Key, ConformancePage.Outcome> recorded() {
        return Map.copyOf(RECORDED);
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, ConformancePage.Result.PASS, null);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, ConformancePage.Result.FAIL, cause.getClass().getSimpleName());
    }

    /** How a test says that the environment lacks the behaviour, after checking that it refuses it. */
    public static final String UNSUPPORTED = "unsupported: ";

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        var message = String.valueOf(cause.getMessage());
        if (message.startsWith(UNSUPPORTED)) {
            record(context, ConformancePage.Result.UNSUPPORTED, message.substring(UNSUPPORTED.length()));
        } else {
            record(context, ConformancePage.Result.NOT_RUN, cause.getMessage());
        }
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, ConformancePage.Result.NOT_RUN, reason.orElse(null));
    }

    private static void record(ExtensionContext context, ConformancePage.Result result, String note) {
        var behaviour = context.getTestMethod()
                .map(m -> m.getAnnotation(Behaviour.class))
                .orElse(null);
        var environment = context.getTestClass()
                .map(c -> c.getAnnotation(Environment.class))
                .orElse(null);
        if (behaviour == null || environment == null) {
            return;
        }
        RECORDED.put(
                new ConformancePage.Key(behaviour.value(), environment.value()),
                new ConformancePage.Outcome(result, environment.value().emulatorFor(behaviour.service()), note));
    }
}
