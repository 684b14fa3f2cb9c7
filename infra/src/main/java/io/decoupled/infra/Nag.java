package io.decoupled.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.Arrays;
import java.util.List;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/**
 * Accepted findings, always with a reason: cdk-nag suppressions (for wildcard findings, only the exact
 * finding) and acknowledgements of CDK's own template checks. Each call sits next to the construct it
 * concerns, so the reason is read where the decision is made.
 */
public final class Nag {
    private Nag() {}

    /** Accept one rule on a construct and its children. */
    public static void accept(IConstruct construct, String rule, String reason) {
        NagSuppressions.addResourceSuppressions(construct, List.of(suppression(rule, reason, List.of())), true);
    }

    /**
     * Accept one granular finding (such as {@code Resource::*} of AwsSolutions-IAM5) and nothing else under the
     * same rule. A value starting with "/" is a regular expression, as cdk-nag expects it.
     */
    public static void acceptOnly(IConstruct construct, String rule, String reason, String... findings) {
        List<Object> appliesTo = Arrays.stream(findings)
                .map(f -> f.startsWith("/")
                        ? (Object) RegexAppliesTo.builder().regex(f).build()
                        : f)
                .toList();
        NagSuppressions.addResourceSuppressions(construct, List.of(suppression(rule, reason, appliesTo)), true);
    }

    /**
     * Acknowledge CDK's local template check W9007 ("SubnetIds contains duplicate values") on a construct
     * placed in subnets of the network stack: the check cannot resolve cross-stack references and sees the
     * two subnets as one value. They are two subnets in two zones.
     */
    public static void acknowledgeCrossStackSubnets(IConstruct construct) {
        Validations.of(construct)
                .acknowledge(Acknowledgment.builder()
                        .id("CloudFormation-Validate::W9007")
                        .reason(
                                "The subnets are cross-stack references, which the local check cannot resolve; they are distinct subnets in two zones.")
                        .build());
    }

    private static NagPackSuppression suppression(String rule, String reason, List<Object> appliesTo) {
        var builder = NagPackSuppression.builder().id(rule).reason(reason);
        if (!appliesTo.isEmpty()) {
            builder.appliesTo(appliesTo);
        }
        return builder.build();
    }
}
