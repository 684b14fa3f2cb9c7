package io.decoupled.shipping.redrive;

import io.decoupled.localaws.AwsEnvironment;
import io.decoupled.localaws.SharedAwsEnvironments;

/** fauxqs has no StartMessageMoveTask: the redrive must fall back to receive, send and delete. */
class FauxqsFallbackRedriveIT extends EnvironmentRedriveContract {
    @Override
    AwsEnvironment environment() {
        return SharedAwsEnvironments.embedded();
    }

    @Override
    String expectedMode() {
        return RedriveTask.RECEIVE_SEND_DELETE;
    }
}
