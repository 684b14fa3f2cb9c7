package io.decoupled.console.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Until the console's Spring application starts, logging runs on Logback's defaults, where every library's INFO lines
 * reach the terminal and bury the launcher's own. This lowers the chatty ones to warnings and errors; the console's
 * logging settings take over once it starts.
 */
final class LauncherLogs {
    private LauncherLogs() {}

    /** The named loggers and their children print warnings and errors only. */
    static void warningsOnly(List<String> loggerNames) {
        for (var name : loggerNames) {
            if (LoggerFactory.getLogger(name) instanceof Logger logger) {
                logger.setLevel(Level.WARN);
            }
        }
    }
}
