package io.decoupled.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrerequisitesTest {
    @Test
    void aMissingNodeIsOneSentenceNamingWhatToInstall() {
        assertThatThrownBy(() -> Prerequisites.node("/nonexistent/bin/node"))
                .isInstanceOf(MissingPrerequisiteException.class)
                .hasMessageContaining("Node.js 20 or newer")
                .hasMessageContaining("/nonexistent/bin/node")
                .hasMessageContaining("LOCAL_AWS_NODE")
                .hasNoCause();
    }

    @Test
    void theInstalledNodeIsAccepted() {
        assertThat(Prerequisites.node(null)).isEqualTo("node");
    }
}
