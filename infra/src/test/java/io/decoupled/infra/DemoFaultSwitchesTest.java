package io.decoupled.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The console's fault switches are for the local demo: no deployed task may turn on a service's fault endpoints. */
class DemoFaultSwitchesTest {

    @Test
    void noDeployedServiceIsToldToOfferTheDemosFaultSwitches() {
        for (var synthesized : new SynthesizedSystem[] {SynthesizedSystem.defaults(), SynthesizedSystem.variant()}) {
            var json = new TemplateJson(synthesized);
            assertThat(String.valueOf(json.template(synthesized.system().compute())))
                    .doesNotContainIgnoringCase("DEMO_FAULTS_ENABLED")
                    .doesNotContainIgnoringCase("demo.faults-enabled");
        }
    }
}
