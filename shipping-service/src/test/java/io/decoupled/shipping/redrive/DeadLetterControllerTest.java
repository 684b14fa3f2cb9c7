package io.decoupled.shipping.redrive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import jakarta.validation.ConstraintViolationException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The admin API's HTTP contract without SQS: the bearer token check, the body limit and every refusal of
 * {@link AdminProblems} as problem+json. AdminApiFuzzIT checks the same over the real emulator; this slice fails in
 * seconds when a mapping breaks.
 */
// The limit is lifted here: this class fires its requests within a second or two; AdminGuardsTest covers the 429.
@WebMvcTest(
        controllers = DeadLetterController.class,
        properties = {
            "shipping.admin.token=" + DeadLetterControllerTest.TOKEN,
            "shipping.admin.requests-per-second=10000"
        })
@Import(RedriveConfiguration.class)
class DeadLetterControllerTest {
    static final String TOKEN = "slice-admin-token-1234";
    private static final String BEARER = "Bearer " + TOKEN;

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    DeadLetterRedriver redriver;

    @Test
    void withTheTokenTheQueueDepthIsShown() {
        given(redriver.depth()).willReturn(new DeadLetterQueueDepth("shipping-orders-dlq", 3, 1));
        assertThat(mvc.get().uri("/admin/dlq").header(HttpHeaders.AUTHORIZATION, BEARER))
                .hasStatus(HttpStatus.OK)
                .bodyJson()
                .extractingPath("$.visible")
                .isEqualTo(3);
    }

    @Test
    void withoutTheTokenEveryAdminEndpointIsA401ProblemAndSqsIsNotCalled() {
        for (var request : List.of(
                mvc.get().uri("/admin/dlq"),
                mvc.get().uri("/admin/dlq/messages"),
                mvc.post().uri("/admin/dlq/redrive"),
                mvc.get().uri("/admin/dlq/redrives"),
                mvc.post()
                        .uri("/admin/dlq/redrive-selected")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"messageIds\":[\"m-1\"]}"))) {
            assertThat(request.exchange())
                    .hasStatus(HttpStatus.UNAUTHORIZED)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .hasHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"shipping-admin\"");
        }
        verifyNoInteractions(redriver);
    }

    @Test
    void aRedriveThatAcceptsNoJsonIsA406ProblemAndRedrivesNothing() {
        for (var accept : List.of("application/xml", "text/html")) {
            assertThat(mvc.post()
                            .uri("/admin/dlq/redrive")
                            .header(HttpHeaders.AUTHORIZATION, BEARER)
                            .header(HttpHeaders.ACCEPT, accept))
                    .as(accept)
                    .hasStatus(HttpStatus.NOT_ACCEPTABLE);
            assertThat(mvc.post()
                            .uri("/admin/dlq/redrive-selected")
                            .header(HttpHeaders.AUTHORIZATION, BEARER)
                            .header(HttpHeaders.ACCEPT, accept)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"messageIds\":[\"m-1\"]}"))
                    .as(accept)
                    .hasStatus(HttpStatus.NOT_ACCEPTABLE);
        }
        verifyNoInteractions(redriver);
    }

    @Test
    void aWrongTokenIsA401ProblemLikeAMissingOne() {
        for (var authorization :
                List.of("Bearer wrong-token-123456", TOKEN, "bearer " + TOKEN, BEARER + "x", "Basic " + TOKEN)) {
            var result = mvc.get()
                    .uri("/admin/dlq")
                    .header(HttpHeaders.AUTHORIZATION, authorization)
                    .exchange();
            assertThat(result)
                    .as(authorization)
                    .hasStatus(HttpStatus.UNAUTHORIZED)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyJson()
                    .extractingPath("$.status")
                    .isEqualTo(401);
        }
        verifyNoInteractions(redriver);
    }

    @Test
    void aPeekLimitOutOfRangeIsA400ProblemNamingMax() {
        for (var max : List.of("0", "101", "-5")) {
            assertThat(mvc.get().uri("/admin/dlq/messages?max=" + max).header(HttpHeaders.AUTHORIZATION, BEARER))
                    .as(max)
                    .hasStatus(HttpStatus.BAD_REQUEST)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyJson()
                    .extractingPath("$.errors[0].field")
                    .isEqualTo("max");
        }
        verifyNoInteractions(redriver);
    }

    @Test
    void aPeekLimitThatIsNotANumberIsA400ProblemQuotingAShortPrefix() {
        var result = mvc.get()
                .uri("/admin/dlq/messages")
                .param("max", "ten\u0007" + "x".repeat(2000))
                .header(HttpHeaders.AUTHORIZATION, BEARER)
                .exchange();
        assertThat(result)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .isEqualTo("'ten?" + "x".repeat(36) + "…' (2004 characters) is not a valid max.");
        verifyNoInteractions(redriver);
    }

    @Test
    void peekingWithinTheLimitReachesTheRedriver() {
        given(redriver.peek(25)).willReturn(List.of(new DeadLetterMessage("m-1", "{}", Map.of(), Instant.EPOCH)));
        assertThat(mvc.get().uri("/admin/dlq/messages?max=25").header(HttpHeaders.AUTHORIZATION, BEARER))
                .hasStatus(HttpStatus.OK)
                .bodyJson()
                .extractingPath("$[0].messageId")
                .isEqualTo("m-1");
    }

    @Test
    void anEmptySelectionIsA400ProblemNamingTheField() {
        assertThat(redriveSelected("{\"messageIds\":[]}"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.errors[0].field")
                .isEqualTo("messageIds");
        assertThat(redriveSelected("{}"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.errors[0].field")
                .isEqualTo("messageIds");
        verifyNoInteractions(redriver);
    }

    @Test
    void aMessageIdThatCannotBeAnSqsIdIsA400ProblemNamingItsIndex() {
        assertThat(redriveSelected("{\"messageIds\":[\"m-1\",\"has space\"]}"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.errors[0].field")
                .isEqualTo("messageIds[1]");
        assertThat(redriveSelected("{\"messageIds\":[\"" + "m".repeat(129) + "\"]}"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.errors[0].field")
                .isEqualTo("messageIds[0]");
        verifyNoInteractions(redriver);
    }

    @Test
    void malformedJsonIsA400Problem() {
        assertThat(redriveSelected("not json"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .isEqualTo("The request body could not be read as JSON.");
        verifyNoInteractions(redriver);
    }

    @Test
    void aBodyOfTheWrongShapeIsA400ProblemNamingTheField() {
        assertThat(redriveSelected("{\"messageIds\":\"m-1\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .isEqualTo("messageIds has the wrong type or shape.");
        assertThat(redriveSelected("{\"messageIds\":true}"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .isEqualTo("messageIds has the wrong type or shape.");
        verifyNoInteractions(redriver);
    }

    /** There is no 404 for a message id: ids not in the DLQ come back in {@code notFound} beside the ones redriven. */
    @Test
    void unknownMessageIdsAreReportedAsNotFoundBesideTheRedrivenOnes() {
        given(redriver.redriveSelected(anyCollection()))
                .willReturn(new SelectedRedrive(List.of("m-1"), List.of("m-404")));
        assertThat(redriveSelected("{\"messageIds\":[\"m-1\",\"m-404\"]}"))
                .hasStatus(HttpStatus.OK)
                .bodyJson()
                .extractingPath("$.notFound")
                .asArray()
                .containsExactly("m-404");
    }

    @Test
    void anUnknownAdminPathIsA404Problem() {
        assertThat(mvc.get().uri("/admin/dlq/nothing-here").header(HttpHeaders.AUTHORIZATION, BEARER))
                .hasStatus(HttpStatus.NOT_FOUND)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aWrongMethodIsA405Problem() {
        assertThat(mvc.delete().uri("/admin/dlq").header(HttpHeaders.AUTHORIZATION, BEARER))
                .hasStatus(HttpStatus.METHOD_NOT_ALLOWED)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        verifyNoInteractions(redriver);
    }

    @Test
    void aNonJsonSelectionIsA415Problem() {
        assertThat(mvc.post()
                        .uri("/admin/dlq/redrive-selected")
                        .header(HttpHeaders.AUTHORIZATION, BEARER)
                        .contentType(MediaType.TEXT_PLAIN)
                        .content("m-1"))
                .hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aBodyOverTheLimitIsA413ProblemEvenBeforeTheTokenIsChecked() {
        var ids = "\"m\",".repeat(128 * 1024 / 4) + "\"m\"";
        var result = mvc.post()
                .uri("/admin/dlq/redrive-selected")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"messageIds\":[" + ids + "]}")
                .exchange();
        assertThat(result)
                .hasStatus(HttpStatus.CONTENT_TOO_LARGE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .isEqualTo("The request body is larger than 131072 bytes.");
        verifyNoInteractions(redriver);
    }

    @Test
    void aChunkedBodyIsA413ProblemAskingForALength() {
        var result = mvc.post()
                .uri("/admin/dlq/redrive-selected")
                .header(HttpHeaders.AUTHORIZATION, BEARER)
                .header("Transfer-Encoding", "chunked")
                .contentType(MediaType.APPLICATION_JSON)
                .exchange();
        assertThat(result)
                .hasStatus(HttpStatus.CONTENT_TOO_LARGE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .startsWith("Send the admin request with a Content-Length");
        verifyNoInteractions(redriver);
    }

    @Test
    void anSqsFailureIsA503ProblemWithAShortSanitisedReason() {
        given(redriver.depth())
                .willThrow(SdkClientException.create(
                        "Unable to execute HTTP request: Connection refused\n" + "x".repeat(500)));
        var result = mvc.get()
                .uri("/admin/dlq")
                .header(HttpHeaders.AUTHORIZATION, BEARER)
                .exchange();
        assertThat(result)
                .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .startsWith("SQS did not complete the request: Unable to execute HTTP request: Connection refused?")
                .hasSize("SQS did not complete the request: ".length() + 200 + "…".length());
    }

    @Test
    void anSqsFailureInsideAFutureIsA503ProblemNamingTheCause() {
        given(redriver.redriveAll())
                .willThrow(new CompletionException(SdkClientException.create("queue does not exist")));
        assertThat(mvc.post().uri("/admin/dlq/redrive").header(HttpHeaders.AUTHORIZATION, BEARER))
                .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .isEqualTo("SQS did not complete the request: queue does not exist");
    }

    @Test
    void aConstraintViolationFromBelowTheControllerIsA400Problem() {
        given(redriver.peek(anyInt()))
                .willThrow(new ConstraintViolationException("peek.max: must be at most 100", Set.of()));
        assertThat(mvc.get().uri("/admin/dlq/messages").header(HttpHeaders.AUTHORIZATION, BEARER))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .isEqualTo("peek.max: must be at most 100");
    }

    @Test
    void anUnexpectedFailureIsA500ProblemWithoutInternals() {
        given(redriver.tasks())
                .willThrow(new IllegalStateException("secret internals at io.decoupled.shipping.Something"));
        var result = mvc.get()
                .uri("/admin/dlq/redrives")
                .header(HttpHeaders.AUTHORIZATION, BEARER)
                .exchange();
        assertThat(result)
                .hasStatus(HttpStatus.INTERNAL_SERVER_ERROR)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyText()
                .doesNotContain("secret")
                .doesNotContain("Exception")
                .doesNotContain("io.decoupled");
    }

    @Test
    void aKeySentTwiceIsA400ProblemNamingItAndRedrivesNothing() {
        assertThat(redriveSelected("{\"messageIds\":[\"m-1\"],\"messageIds\":[\"m-2\"]}"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .isEqualTo("'messageIds' appears more than once; send each field once.");
        verifyNoInteractions(redriver);
    }

    private MvcTestResult redriveSelected(String body) {
        return mvc.post()
                .uri("/admin/dlq/redrive-selected")
                .header(HttpHeaders.AUTHORIZATION, BEARER)
                .contentType(MediaType.APPLICATION_JSON)
                .content(body)
                .exchange();
    }

    /** The slice leaves out @ConfigurationPropertiesScan's beans; the token check and the body limit read these. */
    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AdminProperties.class)
    static class AdminSettings {}
}
