package io.decoupled.localaws;

import io.decoupled.localaws.conformance.ConformancePage.Column;
import io.decoupled.localaws.conformance.Environment;

/** The environment contract on the embedded emulators (fauxqs, kinesalite, dynalite): runs everywhere. */
@Environment(Column.EMBEDDED)
class EmbeddedEnvironmentIT extends AwsEnvironmentContract {
    @Override
    AwsEnvironment environment() {
        return SharedAwsEnvironments.embedded();
    }
}
