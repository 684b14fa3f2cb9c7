package io.decoupled.infra;

import io.decoupled.infra.compute.ServiceImages;
import java.nio.file.Path;
import software.amazon.awscdk.App;

/** The CDK app: {@code cdk synth}, {@code cdk deploy --all} and {@code cdk destroy --all} run this (see cdk.json). */
public final class DecoupledApp {

    private DecoupledApp() {}

    public static void main(String[] args) {
        var app = new App();
        var root = DeploymentSettings.findRepositoryRoot(Path.of(""));
        var settings = DeploymentSettings.from(app.getNode()::tryGetContext, System::getenv, root);
        DecoupledSystem.create(app, settings, ServiceImages.fromRepository(root));
        app.synth();
    }
}
