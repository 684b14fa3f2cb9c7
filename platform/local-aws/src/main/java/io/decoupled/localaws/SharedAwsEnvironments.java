package io.decoupled.localaws;

import io.decoupled.topology.Topology;

/**
 * One environment of each kind per JVM, started on first use and shared by every test class in that JVM;
 * stopped when the JVM exits. Starting the emulators once keeps a module's tests fast; tests isolate
 * themselves by draining or by using their own queues, never by restarting the environment.
 */
public final class SharedAwsEnvironments {
    private static LocalAws embedded;
    private static LocalStackEnvironment localStack;

    private SharedAwsEnvironments() {}

    /** The embedded emulators with the reference topology; also switches this JVM's SDK to JSON for Kinesis. */
    public static synchronized LocalAws embedded() {
        if (embedded == null || !embedded.isRunning()) {
            embedded = LocalAws.startAll();
            // kinesalite's CBOR breaks the SDK v2; this is the SDK's own switch (CBOR_ENABLED=false as an environment
            // variable).
            System.setProperty("aws.cborEnabled", "false");
        }
        return embedded;
    }

    /** LocalStack in Testcontainers; callers check {@link LocalStackEnvironment#dockerAvailable()} first. */
    public static synchronized LocalStackEnvironment localStack() {
        if (localStack == null) {
            localStack = LocalStackEnvironment.start(Topology.reference());
            Runtime.getRuntime().addShutdownHook(new Thread(localStack::close, "localstack-shutdown"));
        }
        return localStack;
    }
}
