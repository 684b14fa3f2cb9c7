package io.decoupled.localaws;

/**
 * The AWS services the system uses, with the names under which the AWS SDKs and Spring Cloud AWS take an
 * endpoint override. Services never carry emulator-specific code; they read these standard settings.
 */
public enum AwsService {
    SQS("SQS", "Sqs", "sqs"),
    SNS("SNS", "Sns", "sns"),
    /** The bucket of offloaded payloads (claim check); fauxqs and LocalStack serve it on the SQS/SNS endpoint. */
    S3("S3", "S3", "s3"),
    KINESIS("KINESIS", "Kinesis", "kinesis"),
    DYNAMODB("DYNAMODB", "DynamoDb", "dynamodb"),
    CLOUDWATCH("CLOUDWATCH", "CloudWatch", "cloudwatch");

    private final String envSuffix;
    private final String systemPropertySuffix;
    private final String springName;

    AwsService(String envSuffix, String systemPropertySuffix, String springName) {
        this.envSuffix = envSuffix;
        this.systemPropertySuffix = systemPropertySuffix;
        this.springName = springName;
    }

    /** The SDK's service-specific endpoint environment variable, for example {@code AWS_ENDPOINT_URL_SQS}. */
    public String environmentVariable() {
        return "AWS_ENDPOINT_URL_" + envSuffix;
    }

    /** The SDK's service-specific endpoint system property, for example {@code aws.endpointUrlSqs}. */
    public String systemProperty() {
        return "aws.endpointUrl" + systemPropertySuffix;
    }

    /** The Spring Cloud AWS endpoint property, for example {@code spring.cloud.aws.sqs.endpoint}. */
    public String springProperty() {
        return "spring.cloud.aws." + springName + ".endpoint";
    }
}
