package io.decoupled.shipping.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import io.decoupled.shipping.redrive.AdminSlice;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * The carrier switch's HTTP contract without a carrier: behind the admin token, a setting out of range is a 400
 * problem naming the field and changes nothing, malformed JSON a 400 problem. Fails in seconds when a mapping breaks.
 */
@WebMvcTest(
        controllers = CarrierFaultController.class,
        properties = {
            "shipping.demo.faults-enabled=true",
            "shipping.admin.token=" + CarrierFaultControllerTest.TOKEN,
            "shipping.admin.requests-per-second=10000"
        })
@Import(AdminSlice.class)
class CarrierFaultControllerTest {
    static final String TOKEN = "slice-carrier-token-1234";

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    CarrierFaults faults;

    @Test
    void withTheTokenAValidSettingTurnsTheSwitchOn() {
        given(faults.current()).willReturn(Optional.of(new CarrierFaults.Fault(Duration.ofMillis(250), 0.5)));
        given(faults.latency()).willReturn(Duration.ofMillis(250));
        given(faults.failureRate()).willReturn(0.5);

        assertThat(put("{\"latencyMillis\":250,\"failureRate\":0.5}", TOKEN))
                .hasStatus(HttpStatus.OK)
                .bodyJson()
                .extractingPath("$.on")
                .isEqualTo(true);
        verify(faults).set(new CarrierFaults.Fault(Duration.ofMillis(250), 0.5));
    }

    @Test
    void aSettingThatAcceptsNoJsonIsA406ProblemAndChangesNothing() {
        assertThat(mvc.put()
                        .uri("/admin/faults/carrier")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                        .header(HttpHeaders.ACCEPT, "text/html")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"latencyMillis\":250,\"failureRate\":0.5}"))
                .hasStatus(HttpStatus.NOT_ACCEPTABLE);
        assertThat(mvc.delete()
                        .uri("/admin/faults/carrier")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                        .header(HttpHeaders.ACCEPT, "text/html"))
                .hasStatus(HttpStatus.NOT_ACCEPTABLE);
        verifyNoInteractions(faults);
    }

    @Test
    void withoutTheTokenTheSwitchIsA401ProblemAndNotTouched() {
        assertThat(put("{\"latencyMillis\":250,\"failureRate\":0.5}", "wrong-token"))
                .hasStatus(HttpStatus.UNAUTHORIZED)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        verifyNoInteractions(faults);
    }

    @Test
    void aSettingOutOfRangeIsA400ProblemNamingEachFieldAndChangesNothing() {
        var result = put("{\"latencyMillis\":-1,\"failureRate\":2}", TOKEN);

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("latencyMillis")
                .contains("failureRate");
        verifyNoInteractions(faults);
    }

    @Test
    void malformedJsonIsA400Problem() {
        assertThat(put("{\"latencyMillis\":", TOKEN))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        verifyNoInteractions(faults);
    }

    @Test
    void aFractionalLatencyIsA400ProblemNamingItNotACutSetting() {
        assertThat(put("{\"latencyMillis\":1.9,\"failureRate\":0.5}", TOKEN))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("latencyMillis");
        verifyNoInteractions(faults);
    }

    private MvcTestResult put(String body, String token) {
        return mvc.put()
                .uri("/admin/faults/carrier")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .content(body)
                .exchange();
    }
}
