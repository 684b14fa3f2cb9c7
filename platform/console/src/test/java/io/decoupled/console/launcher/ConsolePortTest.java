package io.decoupled.console.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.PortInUseException;

/** The console's port: the preferred one when it is free, any free one otherwise, and also when the preferred one is lost. */
class ConsolePortTest {

    @Test
    void aPreferredPortTakenBeforeTheServerBoundItFallsBackToAnyFreePort() throws Exception {
        int preferred = EmbeddedSystem.freePort();
        var tried = new ArrayList<Integer>();

        // Free when checked, taken by the time the server binds it: the race the fallback is for.
        int bound = EmbeddedSystem.onPreferredPortOrAnyFree(preferred, port -> {
            tried.add(port);
            if (port == preferred) {
                throw new IllegalStateException("web server failed to start", new PortInUseException(port));
            }
            return 54321;
        });

        assertThat(tried).containsExactly(preferred, 0);
        assertThat(bound).isEqualTo(54321);
    }

    @Test
    void aPreferredPortInUseWhenCheckedIsNotTriedAtAll() throws Exception {
        try (var holder = new ServerSocket(0)) {
            var tried = new ArrayList<Integer>();

            EmbeddedSystem.onPreferredPortOrAnyFree(holder.getLocalPort(), tried::add);

            assertThat(tried).containsExactly(0);
        }
    }

    @Test
    void anyOtherStartFailureIsReportedAsItIs() {
        int preferred = EmbeddedSystem.freePort();
        var tried = new ArrayList<Integer>();

        assertThatThrownBy(() -> EmbeddedSystem.onPreferredPortOrAnyFree(preferred, port -> {
                    tried.add(port);
                    throw new IllegalStateException("no database");
                }))
                .hasMessage("no database");
        assertThat(tried).containsExactly(preferred);
    }

    @Test
    void losingAnyFreePortIsNotRetriedForever() {
        var tried = new ArrayList<Integer>();

        assertThatThrownBy(() -> EmbeddedSystem.onPreferredPortOrAnyFree(0, port -> {
                    tried.add(port);
                    throw new PortInUseException(port);
                }))
                .isInstanceOf(PortInUseException.class);
        assertThat(tried).containsExactly(0);
    }
}
