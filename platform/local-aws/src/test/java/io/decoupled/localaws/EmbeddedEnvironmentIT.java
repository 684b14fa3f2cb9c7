package io.decoupled.localaws;

/** The environment contract on the embedded emulators (fauxqs, kinesalite, dynalite): runs everywhere. */
class EmbeddedEnvironmentIT extends AwsEnvironmentContract {
    @Override
    AwsEnvironment environment() {
        return SharedAwsEnvironments.embedded();
    }
}
