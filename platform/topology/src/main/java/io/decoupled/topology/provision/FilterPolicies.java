package io.decoupled.topology.provision;

/**
 * Compares filter policies the way SNS treats them: endpoints may return the JSON reformatted (spaces,
 * key order, 1000 vs 1000.0), so a textual difference alone is no reason to update a subscription.
 */
final class FilterPolicies {
    private FilterPolicies() {
    }

    static boolean equivalent(String a, String b) {
        return canonical(a).equals(canonical(b));
    }

    static String canonical(String json) {
        var compact = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"' && (i == 0 || json.charAt(i - 1) != '\\')) {
                inString = !inString;
            }
            if (inString || !Character.isWhitespace(c)) {
                compact.append(c);
            }
        }
        // 1000.0 and 1000 are the same number to SNS.
        return compact.toString().replaceAll("(?<=[\\[,:])(-?\\d+)\\.0+(?=[,\\]}])", "$1");
    }
}
