package io.decoupled.infra.compute;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/**
 * Logical ids that survive moving resources into a construct (stable identity across a refactoring). CloudFormation
 * knows a resource only by its logical id, which CDK derives from the construct path: moving {@code OrderTaskRole}
 * into a construct {@code Order} as {@code TaskRole} changes the id, and CloudFormation would create a new resource
 * and delete the old one, which fails outright for resources with a fixed physical name (an ECS service, a log group).
 * Here the id of an <em>inlined</em> construct is joined to its child's id, so {@code Order/TaskRole/Resource} gets
 * the id CDK gave {@code OrderTaskRole/Resource}.
 *
 * <p>{@link #uniqueId} is the scheme behind CDK's {@code Stack.allocateLogicalId} (the path components without
 * "Default"; a readable part without "Resource" or repeats; the first 8 hex digits of the MD5 of the path), written
 * out here because CDK offers it for a construct's own path only. CDK cannot change it without replacing every
 * deployed resource; {@code LogicalIdsTest} checks it against CDK's own result.
 */
final class LogicalIds {

    private static final String HIDDEN = "Default";
    private static final String HIDDEN_FROM_HUMANS = "Resource";
    private static final int MAX_HUMAN_LENGTH = 240;
    private static final int MAX_LENGTH = 255;

    private LogicalIds() {}

    /** The logical id of {@code element} in {@code stack}, with the ids of {@code inlined} constructs joined to their child's. */
    static String of(Stack stack, CfnElement element, Predicate<IConstruct> inlined) {
        var scopes = element.getNode().getScopes();
        var components = new ArrayList<String>();
        var prefix = new StringBuilder();
        for (var scope : scopes.subList(scopes.indexOf(stack) + 1, scopes.size())) {
            prefix.append(scope.getNode().getId());
            if (!inlined.test(scope)) {
                components.add(prefix.toString());
                prefix.setLength(0);
            }
        }
        return uniqueId(components);
    }

    /** CDK's logical id for a construct path below its stack. */
    static String uniqueId(List<String> path) {
        var components = path.stream().filter(c -> !c.equals(HIDDEN)).toList();
        if (components.isEmpty()) {
            throw new IllegalArgumentException("no path components to name: " + path);
        }
        if (components.size() == 1) {
            var candidate = alphanumeric(components.get(0));
            if (candidate.length() <= MAX_LENGTH) {
                return candidate;
            }
        }
        var human = new StringBuilder();
        withoutRepeats(components).stream()
                .filter(c -> !c.equals(HIDDEN_FROM_HUMANS))
                .map(LogicalIds::alphanumeric)
                .forEach(human::append);
        return human.substring(0, Math.min(human.length(), MAX_HUMAN_LENGTH)) + hash(components);
    }

    /** "Bucket/Bucket" reads as "Bucket": a component is dropped when the one before already ends with it. */
    private static List<String> withoutRepeats(List<String> components) {
        var out = new ArrayList<String>();
        for (var component : components) {
            if (out.isEmpty() || !out.get(out.size() - 1).endsWith(component)) {
                out.add(component);
            }
        }
        return out;
    }

    private static String hash(List<String> components) {
        try {
            var md5 = MessageDigest.getInstance("MD5")
                    .digest(String.join("/", components).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5).substring(0, 8).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }

    private static String alphanumeric(String s) {
        return s.replaceAll("[^A-Za-z0-9]", "");
    }
}
