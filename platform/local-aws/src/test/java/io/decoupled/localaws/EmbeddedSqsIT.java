package io.decoupled.localaws;

import io.decoupled.localaws.conformance.ConformancePage.Column;
import io.decoupled.localaws.conformance.Environment;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The SQS behaviours on the embedded fauxqs, which has no message move tasks. */
@Environment(Column.EMBEDDED)
class EmbeddedSqsIT extends SqsContract {
    @Override
    SqsClient sqs() {
        return SharedAwsEnvironments.embedded().sqs();
    }

    @Override
    boolean supportsMoveTasks() {
        return false;
    }
}
