package io.decoupled.websecurity;

import java.util.List;

/**
 * The paths of a service's API that need a token when {@code api.security.enabled} is on; everything else is open (the
 * actuator, which the load balancer does not route, and the API description). Each service that imports
 * {@link ApiSecurityConfiguration} declares one bean of it: its paths are a fact of its code, not a setting.
 *
 * @param patterns Spring path patterns, e.g. {@code /orders/**}
 */
public record ProtectedPaths(List<String> patterns) {
    public ProtectedPaths {
        patterns = List.copyOf(patterns);
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("a service's protected paths name at least one pattern");
        }
    }
}
