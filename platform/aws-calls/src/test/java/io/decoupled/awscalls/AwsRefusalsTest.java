package io.decoupled.awscalls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

class AwsRefusalsTest {

    @Test
    void aKeyCredentialsOrMissingResourceRefusesEveryRequestAlike() {
        assertThat(AwsRefusals.refusesEveryRequest("KMSDisabled")).isTrue();
        assertThat(AwsRefusals.refusesEveryRequest("KMSThrottling")).isTrue();
        assertThat(AwsRefusals.refusesEveryRequest("AuthorizationError")).isTrue();
        assertThat(AwsRefusals.refusesEveryRequest("NotFound")).isTrue();
        assertThat(AwsRefusals.refusesEveryRequest("ExpiredToken")).isTrue();
    }

    @Test
    void whatOneRequestCarriedIsNotSuchARefusal() {
        assertThat(AwsRefusals.refusesEveryRequest("InvalidParameter")).isFalse();
        assertThat(AwsRefusals.refusesEveryRequest("InternalError")).isFalse();
        assertThat(AwsRefusals.refusesEveryRequest((String) null)).isFalse();
        assertThat(AwsRefusals.refusesEveryRequest(
                        AwsServiceException.builder().statusCode(403).build()))
                .as("no error details")
                .isFalse();
        assertThat(AwsRefusals.refusesEveryRequest(AwsServiceException.builder()
                        .statusCode(403)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("AuthorizationError")
                                .build())
                        .build()))
                .isTrue();
    }
}
