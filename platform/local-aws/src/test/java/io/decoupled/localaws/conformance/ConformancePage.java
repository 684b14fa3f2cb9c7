package io.decoupled.localaws.conformance;

import io.decoupled.localaws.AwsService;
import java.util.Collection;
import java.util.Map;
import java.util.SequencedSet;
import java.util.stream.Collectors;

/** The conformance page as Markdown, from the recorded outcomes and the list of behaviours. */
public final class ConformancePage {

    /** An environment the contracts run on, and what answers each AWS API in it. */
    public enum Column {
        EMBEDDED("embedded emulators"),
        ELASTICMQ("ElasticMQ 1.7.1 (in the test JVM)"),
        LOCALSTACK("LocalStack 4.14.0 (Testcontainers)");

        private final String title;

        Column(String title) {
            this.title = title;
        }

        String emulatorFor(AwsService service) {
            return switch (this) {
                case EMBEDDED ->
                    switch (service) {
                        case SQS, SNS, S3 -> "fauxqs";
                        case KINESIS -> "kinesalite";
                        case DYNAMODB -> "dynalite";
                        case CLOUDWATCH -> "none";
                    };
                case ELASTICMQ -> "ElasticMQ";
                case LOCALSTACK -> "LocalStack";
            };
        }
    }

    enum Result {
        PASS,
        FAIL,
        UNSUPPORTED,
        NOT_RUN
    }

    public record Key(String behaviour, Column column) {}

    public record Outcome(Result result, String emulator, String note) {
        String cell() {
            return switch (result) {
                case PASS -> "pass (" + emulator + ")";
                case FAIL -> "**fails** (" + emulator + (note == null ? "" : ": " + note) + ")";
                case UNSUPPORTED ->
                    "unsupported (" + emulator + (note == null ? "" : ": " + note.replace("|", "/")) + ")";
                case NOT_RUN -> "not run" + (note == null ? "" : " (" + note.replace("|", "/") + ")");
            };
        }
    }

    public static final String TITLE = "# Emulator conformance (generated)";

    private ConformancePage() {}

    /** One row per behaviour, in the order given; a behaviour without a record in a column is "not run". */
    public static String render(
            SequencedSet<String> behaviours,
            Map<Key, Outcome> recorded,
            Map<Column, String> whyNotRun,
            Collection<String> notRecordedHere) {
        var columns = Column.values();
        var out = new StringBuilder();
        out.append(TITLE).append("\n\n");
        out.append(
                "Written by the build from the contract tests' outcomes (`ConformanceReport`, at the end of the `platform/local-aws`\n");
        out.append(
                "integration tests); do not edit by hand. Each row is one behaviour the patterns rely on, each cell the outcome of\n");
        out.append(
                "its test on that environment and which emulator answered. \"unsupported\" is tested too: the environment\n");
        out.append(
                "refused the call as the test expects. \"not run\" means the environment was not there (no Docker engine for\n");
        out.append(
                "LocalStack), is not asked for it (ElasticMQ serves SQS only), or the test did not run in this build. How it is\n");
        out.append("generated: [local-aws.md](local-aws.md#the-conformance-page).\n\n");
        out.append("| behaviour |");
        for (var c : columns) {
            out.append(' ').append(c.title).append(" |");
        }
        out.append("\n|---|");
        out.append("---|".repeat(columns.length)).append('\n');
        for (var behaviour : behaviours) {
            out.append("| ").append(behaviour).append(" |");
            for (var c : columns) {
                var outcome = recorded.get(new Key(behaviour, c));
                out.append(' ')
                        .append(
                                outcome != null
                                        ? outcome.cell()
                                        : whyNotRun.containsKey(c) ? "not run (" + whyNotRun.get(c) + ")" : "not run")
                        .append(" |");
            }
            out.append('\n');
        }
        if (!notRecordedHere.isEmpty()) {
            out.append(
                    "\nProved elsewhere, not yet recorded in this table (their tests run in the service modules' JVMs):\n\n");
            out.append(notRecordedHere.stream().map(s -> "- " + s).collect(Collectors.joining("\n")))
                    .append('\n');
        }
        return out.toString();
    }
}
