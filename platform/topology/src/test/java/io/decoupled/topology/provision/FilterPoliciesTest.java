package io.decoupled.topology.provision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FilterPoliciesTest {
    @Test
    void reformattedPoliciesAreEquivalent() {
        assertThat(FilterPolicies.equivalent("{\"total\":[{\"numeric\":[\">=\",1000]}]}",
                "{ \"total\" : [ { \"numeric\" : [ \">=\", 1000.0 ] } ] }")).isTrue();
    }

    @Test
    void differentValuesAreNot() {
        assertThat(FilterPolicies.equivalent("{\"total\":[{\"numeric\":[\">=\",1000]}]}",
                "{\"total\":[{\"numeric\":[\">=\",100]}]}")).isFalse();
        assertThat(FilterPolicies.equivalent("{\"country\":[\"D E\"]}", "{\"country\":[\"DE\"]}")).isFalse();
    }
}
