package io.decoupled.console.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The launcher's quiet start: a library it names keeps its warnings and loses its INFO lines, children included. */
class LauncherLogsTest {

    @Test
    void theNamedLoggersAndTheirChildrenKeepOnlyWarningsAndErrors() {
        var child = LoggerFactory.getLogger("launcher.logs.test.library.Provisioner");
        var other = LoggerFactory.getLogger("launcher.logs.test.other.Service");
        assertThat(child.isInfoEnabled()).as("before").isTrue();

        LauncherLogs.warningsOnly(List.of("launcher.logs.test.library"));

        assertThat(child.isInfoEnabled()).isFalse();
        assertThat(child.isWarnEnabled()).isTrue();
        assertThat(other.isInfoEnabled()).as("a logger not named").isTrue();
    }
}
