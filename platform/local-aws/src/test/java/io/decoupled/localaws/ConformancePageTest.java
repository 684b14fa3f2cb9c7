package io.decoupled.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import io.decoupled.localaws.conformance.ConformancePage;
import io.decoupled.localaws.conformance.ConformancePage.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed conformance page is the generated one, with a row for every behaviour the contracts prove. */
class ConformancePageTest {

    @Test
    void theCommittedPageHasARowForEveryBehaviourTheContractsProve() throws IOException {
        var page = Files.readString(Path.of(System.getProperty("conformance.page", "../../docs/conformance.md")));
        assertThat(page).startsWith(ConformancePage.TITLE);
        assertThat(ConformanceReport.behaviours())
                .isNotEmpty()
                .allSatisfy(b -> assertThat(page).contains("| " + b + " |"));
    }

    @Test
    void aBehaviourWithoutARecordIsNotRunAndSaysWhy() {
        var behaviours = new LinkedHashSet<>(List.of("queue delay"));
        var page =
                ConformancePage.render(behaviours, Map.of(), Map.of(Column.LOCALSTACK, "no Docker engine"), List.of());
        assertThat(page).contains("| queue delay | not run | not run | not run (no Docker engine) |");
    }
}
