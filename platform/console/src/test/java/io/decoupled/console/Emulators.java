package io.decoupled.console;

import io.decoupled.localaws.AwsService;
import io.decoupled.localaws.LocalAws;
import io.decoupled.localaws.SharedAwsEnvironments;

/**
 * The shared embedded emulators, with this JVM's SDK defaults pointed at them through the SDK's standard
 * system properties: the console builds its clients with no endpoint in code, exactly as in production.
 * Set again on every call because another test (the launcher's) points them at an environment of its own.
 */
public final class Emulators {
    private Emulators() {}

    public static LocalAws shared() {
        var aws = SharedAwsEnvironments.embedded();
        System.setProperty("aws.region", aws.region().id());
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_KEY);
        for (var service : AwsService.values()) {
            aws.endpoint(service).ifPresent(uri -> System.setProperty(service.systemProperty(), uri.toString()));
        }
        return aws;
    }
}
