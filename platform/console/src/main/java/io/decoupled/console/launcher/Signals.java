package io.decoupled.console.launcher;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * The two ways the embedded system is told to stop: SIGTERM/SIGINT, and the end of its stdin (the supervisor
 * holds that pipe; when the supervisor dies, even by SIGKILL, the pipe closes). Both run the ordered stop
 * instead of the JVM's default, which would run every shutdown hook at once.
 */
final class Signals {
    private Signals() {}

    static void onTermination(Runnable stop) {
        Runnable once = once(stop);
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            Signal.handle(new Signal(name), signal -> new Thread(once, "stop-on-SIG" + name).start());
        }
    }

    static void onStdinClosed(Runnable stop) {
        var watcher = new Thread(
                () -> {
                    try {
                        while (System.in.read() != -1) {
                            // only the end matters
                        }
                    } catch (IOException ignored) {
                        // a broken pipe means the parent is gone as well
                    }
                    stop.run();
                },
                "exit-with-parent");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static Runnable once(Runnable action) {
        var done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
    }
}
