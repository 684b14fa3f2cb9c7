package io.decoupled.localaws;

import io.decoupled.localaws.conformance.ConformancePage.Column;
import io.decoupled.localaws.conformance.Environment;

/** The payload-offloading contract on the embedded emulators (fauxqs serves S3 beside SNS and SQS). */
@Environment(Column.EMBEDDED)
class EmbeddedLargePayloadIT extends LargePayloadContract {
    @Override
    AwsEnvironment environment() {
        return SharedAwsEnvironments.embedded();
    }
}
