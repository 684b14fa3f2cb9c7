package io.decoupled.topology.provision;

/** One thing the provisioner found or did. */
public record Change(Resource resource, String name, Action action, String detail) {

    public enum Resource {
        QUEUE,
        TOPIC,
        SUBSCRIPTION,
        STREAM
    }

    public enum Action {
        CREATED,
        UPDATED,
        UNCHANGED
    }

    @Override
    public String toString() {
        return action + " " + resource.name().toLowerCase() + " " + name
                + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
