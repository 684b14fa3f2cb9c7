package io.decoupled.topology.provision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FilterPoliciesTest {
    @Test
    void reformattedPoliciesAreEquivalent() {
        assertThat(FilterPolicies.equivalent(
                        "{\"total\":[{\"numeric\":[\">=\",1000]}]}",
                        "{ \"total\" : [ { \"numeric\" : [ \">=\", 1000.0 ] } ] }"))
                .isTrue();
        assertThat(FilterPolicies.equivalent(
                        "{\"total\":[{\"numeric\":[\">=\",1000]}]}", "{\"total\":[{\"numeric\":[\">=\",1E+3]}]}"))
                .isTrue();
    }

    @Test
    void keyOrderDoesNotMatterAtAnyDepth() {
        assertThat(
                        FilterPolicies.equivalent(
                                "{\"type\":[\"OrderPlaced\"],\"detail\":{\"country\":[\"DE\"],\"total\":[{\"numeric\":[\">\",0]}]}}",
                                "{\"detail\":{\"total\":[{\"numeric\":[\">\",0]}],\"country\":[\"DE\"]},\"type\":[\"OrderPlaced\"]}"))
                .isTrue();
    }

    @Test
    void differentValuesAreNot() {
        assertThat(FilterPolicies.equivalent(
                        "{\"total\":[{\"numeric\":[\">=\",1000]}]}", "{\"total\":[{\"numeric\":[\">=\",100]}]}"))
                .isFalse();
        assertThat(FilterPolicies.equivalent("{\"country\":[\"D E\"]}", "{\"country\":[\"DE\"]}"))
                .isFalse();
        assertThat(FilterPolicies.equivalent("{\"country\":[\"DE\"]}", "{\"country\":[\"DE\"],\"type\":[\"x\"]}"))
                .isFalse();
        assertThat(FilterPolicies.equivalent("{\"total\":[1000]}", "{\"total\":[\"1000\"]}"))
                .isFalse();
    }

    @Test
    void textThatIsNotJsonIsComparedAsText() {
        assertThat(FilterPolicies.equivalent("not json", "not json")).isTrue();
        assertThat(FilterPolicies.equivalent("not json", "{\"a\":[1]}")).isFalse();
    }
}
