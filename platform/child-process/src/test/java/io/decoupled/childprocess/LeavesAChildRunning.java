package io.decoupled.childprocess;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A JVM for {@link ChildProcessTest}: starts a child that would run for ten minutes, reports its pid, and ends
 * without stopping it, as a test JVM or a launcher that forgot to does. The JVM-exit hook must stop that child.
 */
public final class LeavesAChildRunning {
    private static final Pattern REPORT = Pattern.compile("child (\\d+) running");

    private LeavesAChildRunning() {}

    public static void main(String[] args) {
        var child = ChildProcess.start(Launch.of("sleeper", List.of("sleep", "600"), Path.of(args[0])));
        System.out.println("child " + child.pid() + " running");
    }

    static Optional<Long> reportedChild(ChildProcess owner) {
        var matcher = REPORT.matcher(owner.tail());
        return matcher.find() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
    }
}
