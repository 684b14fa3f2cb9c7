package io.decoupled.infra;

import static io.decoupled.infra.TemplateJson.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.decoupled.infra.archive.ClickstreamArchiveStack;
import io.decoupled.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ClickstreamArchiveStackTest {

    private final SynthesizedSystem synthesized = SynthesizedSystem.defaults();
    private final TemplateJson json = new TemplateJson(synthesized);
    private final ClickstreamArchiveStack archive =
            synthesized.system().archive().orElseThrow();

    @Test
    void firehoseReadsTheClickstreamAndWritesCompressedDatePartitionedObjectsWithFailuresApart() {
        var streams = json.resources(archive, "AWS::KinesisFirehose::DeliveryStream");
        assertThat(streams).hasSize(1);
        var delivery = properties(streams.values().iterator().next());
        assertThat(delivery).containsEntry("DeliveryStreamType", "KinesisStreamAsSource");
        @SuppressWarnings("unchecked")
        var source = (Map<String, Object>) delivery.get("KinesisStreamSourceConfiguration");
        assertThat(json.describe(source.get("KinesisStreamARN"))).isEqualTo("kinesis:" + Topology.CLICKSTREAM);

        @SuppressWarnings("unchecked")
        var s3 = (Map<String, Object>) delivery.get("ExtendedS3DestinationConfiguration");
        assertThat(s3)
                .containsEntry("CompressionFormat", "GZIP")
                .containsEntry("Prefix", ClickstreamArchiveStack.PREFIX)
                .containsEntry("ErrorOutputPrefix", ClickstreamArchiveStack.ERROR_PREFIX)
                .containsEntry("BufferingHints", Map.of("IntervalInSeconds", 300, "SizeInMBs", 64));
        assertThat(ClickstreamArchiveStack.PREFIX).contains("year=!{timestamp:yyyy}", "day=!{timestamp:dd}");
        assertThat(ClickstreamArchiveStack.ERROR_PREFIX).startsWith("errors/!{firehose:error-output-type}/");
        @SuppressWarnings("unchecked")
        var logging = (Map<String, Object>) s3.get("CloudWatchLoggingOptions");
        assertThat(logging).containsEntry("Enabled", true);
    }

    @Test
    void theArchiveBucketIsEncryptedPrivateTlsOnlyAndExpires() {
        var buckets = json.resources(archive, "AWS::S3::Bucket");
        var archiveBucket = buckets.entrySet().stream()
                .filter(e -> e.getKey().startsWith("Archive") && !e.getKey().startsWith("ArchiveAccessLogs"))
                .map(e -> properties(e.getValue()))
                .findFirst()
                .orElseThrow();
        assertThat(archiveBucket.get("BucketEncryption").toString()).contains("AES256");
        assertThat(archiveBucket.get("PublicAccessBlockConfiguration"))
                .isEqualTo(Map.of(
                        "BlockPublicAcls",
                        true,
                        "BlockPublicPolicy",
                        true,
                        "IgnorePublicAcls",
                        true,
                        "RestrictPublicBuckets",
                        true));
        assertThat(archiveBucket).containsKey("LoggingConfiguration");
        var lifecycle = archiveBucket.get("LifecycleConfiguration").toString();
        assertThat(lifecycle)
                .contains("ExpirationInDays=400", "STANDARD_IA", "GLACIER_IR", "AbortIncompleteMultipartUpload");

        var policies = json.resources(archive, "AWS::S3::BucketPolicy").values().stream()
                .map(p -> properties(p).toString())
                .toList();
        assertThat(policies).allSatisfy(p -> assertThat(p).contains("aws:SecureTransport=false", "Effect=Deny"));
        assertThat(policies).hasSize(2);
    }

    @Test
    void firehosesRoleMayReadTheStreamWriteTheBucketAndLogAndNothingElse() {
        var actions = new TreeSet<String>();
        json.resources(archive, "AWS::IAM::Policy").values().forEach(policy -> {
            @SuppressWarnings("unchecked")
            var statements = (List<Map<String, Object>>)
                    ((Map<String, Object>) properties(policy).get("PolicyDocument")).get("Statement");
            statements.forEach(s -> TemplateJson.list(s.get("Action")).forEach(a -> actions.add((String) a)));
        });
        assertThat(actions)
                .isEqualTo(new TreeSet<>(Set.of(
                        "kinesis:DescribeStream",
                        "kinesis:DescribeStreamSummary",
                        "kinesis:GetShardIterator",
                        "kinesis:GetRecords",
                        "kinesis:ListShards",
                        "kms:Decrypt",
                        "s3:AbortMultipartUpload",
                        "s3:GetBucketLocation",
                        "s3:GetObject",
                        "s3:ListBucket",
                        "s3:ListBucketMultipartUploads",
                        "s3:PutObject",
                        "logs:PutLogEvents")));
        assertThat(json.template(archive).toString()).contains("kms:ViaService");
    }

    @Test
    void bufferingAndRetentionOutsideWhatFirehoseAndTheLifecycleAllowAreRefused() {
        var messaging = synthesized.system().messaging();
        assertThatThrownBy(() -> new ClickstreamArchiveStack.Props(messaging, Topology.CLICKSTREAM, 400, 30))
                .hasMessageContaining("60 and 900");
        assertThatThrownBy(() -> new ClickstreamArchiveStack.Props(messaging, Topology.CLICKSTREAM, 60, 300))
                .hasMessageContaining("90-day");
    }
}
