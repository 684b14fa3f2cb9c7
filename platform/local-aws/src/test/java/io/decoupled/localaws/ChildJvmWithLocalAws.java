package io.decoupled.localaws;

import java.util.stream.Collectors;

/**
 * Run by {@link LocalAwsLifecycleIT} in a JVM of its own: starts the emulators, prints their process ids,
 * and waits to be killed.
 */
public final class ChildJvmWithLocalAws {
    public static void main(String[] args) throws Exception {
        var aws = LocalAws.builder().withoutTopology().start();
        var pids = ProcessHandle.current()
                .children()
                .map(p -> Long.toString(p.pid()))
                .collect(Collectors.joining(","));
        System.out.println("PIDS " + pids);
        System.out.println("SQS " + aws.requireEndpoint(AwsService.SQS));
        System.out.flush();
        Thread.currentThread().join();
    }
}
