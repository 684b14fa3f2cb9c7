package io.decoupled.localaws;

import java.io.IOException;
import java.util.Arrays;

/**
 * The main class of the DynamoDB Local child process: runs DynamoDB Local's own main class and exits
 * when stdin reaches end-of-file, which happens when the parent JVM dies by any means. Uses only the JDK
 * and reflection, because it runs on DynamoDB Local's classpath, not ours.
 */
public final class ExitWithParent {
    private ExitWithParent() {
    }

    public static void main(String[] args) throws Exception {
        var watcher = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // ignore input; only end-of-file matters
                }
            } catch (IOException ignored) {
                // a broken pipe means the parent is gone, too
            }
            System.exit(0);
        }, "exit-with-parent");
        watcher.setDaemon(true);
        watcher.start();
        Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
