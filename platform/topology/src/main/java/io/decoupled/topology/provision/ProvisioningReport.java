package io.decoupled.topology.provision;

import java.util.List;

/** What a provisioning run changed, and where the resources now are. */
public record ProvisioningReport(List<Change> changes, ProvisionedTopology resources) {
    public ProvisioningReport {
        changes = List.copyOf(changes);
    }

    /** True when the endpoint already matched the topology: the run was a no-op. */
    public boolean changedNothing() {
        return changes.stream().allMatch(c -> c.action() == Change.Action.UNCHANGED);
    }

    public List<Change> effectiveChanges() {
        return changes.stream()
                .filter(c -> c.action() != Change.Action.UNCHANGED)
                .toList();
    }
}
