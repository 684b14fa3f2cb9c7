package io.decoupled.console.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.decoupled.console.faults.ProcessFaults;
import io.decoupled.console.history.Charts;
import io.decoupled.console.history.DashboardHistory;
import io.decoupled.console.load.LoadGenerator;
import io.decoupled.console.load.LoadProgress;
import io.decoupled.console.queues.PoisonInjector;
import io.decoupled.console.services.ActionResult;
import io.decoupled.console.services.OrderPathSource;
import io.decoupled.console.services.OrdersSource;
import io.decoupled.console.services.ShippingSource;
import io.decoupled.console.stream.Resharding;
import io.decoupled.console.web.WebEdge;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentMatchers;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** The page's API: buttons do what they say, bad input is a 400 problem+json, a failing downstream a 502 with its reason. */
@WebMvcTest(DashboardController.class)
@Import(WebEdge.class)
class DashboardApiTest {
    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    DashboardCollector collector;

    @MockitoBean
    LoadGenerator load;

    @MockitoBean
    PoisonInjector poison;

    @MockitoBean
    ShippingSource shipping;

    @MockitoBean
    DashboardHistory history;

    @MockitoBean
    OrdersSource orders;

    @MockitoBean
    OrderPathSource paths;

    @MockitoBean
    ProcessFaults processFaults;

    @Test
    void newLoadSettingsChangeTheRatesAndStartTheGenerator() {
        when(load.progress()).thenReturn(progress());
        var result = mvc.put()
                .uri("/api/load")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"running\":true,\"ordersPerSecond\":5,\"clicksPerSecond\":50,\"poisonShare\":0.1}");

        assertThat(result).hasStatusOk();
        verify(load).setRates(new LoadProgress.Rates(5, 50, 0.1));
        verify(load).start();
    }

    @Test
    void aNegativeRateIsA400ProblemNamingTheField() {
        var result = mvc.put()
                .uri("/api/load")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"running\":true,\"ordersPerSecond\":-1,\"clicksPerSecond\":50,\"poisonShare\":0.1}");

        assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("ordersPerSecond");
        verify(load, never()).setRates(ArgumentMatchers.any());
    }

    @Test
    void malformedJsonIsA400Problem() {
        var result = mvc.put()
                .uri("/api/load")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"running\":");

        assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aValueOfTheWrongTypeIsA400ProblemNamingTheFieldNotACutOrGuessedSetting() {
        var latency = mvc.put()
                .uri("/api/faults/carrier")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"latencyMillis\":1.9,\"failureRate\":0.3}");
        assertThat(latency)
                .hasStatus(400)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .isEqualTo("latencyMillis has the wrong type or form");
        var running = mvc.put()
                .uri("/api/load")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"running\":\"yes\",\"ordersPerSecond\":1,\"clicksPerSecond\":1,\"poisonShare\":0}");
        assertThat(running)
                .hasStatus(400)
                .bodyJson()
                .extractingPath("$.detail")
                .isEqualTo("running has the wrong type or form");
        verifyNoInteractions(shipping);
        verify(load, never()).setRates(ArgumentMatchers.any());
    }

    @Test
    void aKeySentTwiceIsA400ProblemNamingItNotItsLastValue() {
        var load = mvc.put()
                .uri("/api/load")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"running\":false,\"running\":true,\"ordersPerSecond\":1,\"clicksPerSecond\":1,"
                        + "\"poisonShare\":0}");
        assertThat(load)
                .hasStatus(400)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .isEqualTo("running appears more than once; send each field once");
        var carrier = mvc.put()
                .uri("/api/faults/carrier")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"latencyMillis\":0,\"failureRate\":0,\"failureRate\":1}");
        assertThat(carrier)
                .hasStatus(400)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .startsWith("failureRate");
        verifyNoInteractions(this.load, shipping);
    }

    @Test
    void aNumberForABooleanOrAStringForANumberIsA400ProblemNamingTheFieldNotConverted() {
        for (var body : new String[] {
            "{\"running\":1,\"ordersPerSecond\":1,\"clicksPerSecond\":1,\"poisonShare\":0}",
            "{\"running\":0,\"ordersPerSecond\":1,\"clicksPerSecond\":1,\"poisonShare\":0}",
            "{\"running\":\"true\",\"ordersPerSecond\":1,\"clicksPerSecond\":1,\"poisonShare\":0}"
        }) {
            assertThat(mvc.put()
                            .uri("/api/load")
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(body))
                    .as(body)
                    .hasStatus(400)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyJson()
                    .extractingPath("$.detail")
                    .isEqualTo("running has the wrong type or form");
        }
        assertThat(mvc.put()
                        .uri("/api/faults/carrier")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"latencyMillis\":\"2000\",\"failureRate\":0}"))
                .hasStatus(400)
                .bodyJson()
                .extractingPath("$.detail")
                .isEqualTo("latencyMillis has the wrong type or form");
        verifyNoInteractions(load, shipping);
    }

    /** A 406 is decided before the handler runs: a caller that accepts no JSON changes nothing. */
    @Test
    void aCallerThatAcceptsNoJsonGetsA406AndNothingHappens() {
        String settings = "{\"running\":true,\"ordersPerSecond\":5,\"clicksPerSecond\":50,\"poisonShare\":0.1}";
        String carrier = "{\"latencyMillis\":2000,\"failureRate\":0.3}";
        for (var accept : new String[] {"application/xml", "text/html"}) {
            for (var request : List.of(
                    mvc.put()
                            .uri("/api/load")
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(settings),
                    mvc.post().uri("/api/actions/burst?count=5"),
                    mvc.post().uri("/api/actions/poison"),
                    mvc.post().uri("/api/actions/redrive"),
                    mvc.put()
                            .uri("/api/faults/carrier")
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(carrier),
                    mvc.delete().uri("/api/faults/carrier"),
                    mvc.put().uri("/api/faults/sns-outage"),
                    mvc.delete().uri("/api/faults/sns-outage"),
                    mvc.put().uri("/api/faults/analytics-database-outage"),
                    mvc.delete().uri("/api/faults/analytics-database-outage"),
                    mvc.post().uri("/api/faults/shipping-kill"),
                    mvc.post().uri("/api/faults/shard-split"),
                    mvc.post().uri("/api/faults/shard-merge"))) {
                assertThat(request.header("Accept", accept))
                        .as(accept)
                        .hasStatus(406)
                        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
            }
        }
        verifyNoInteractions(load, poison, shipping, orders, processFaults);
    }

    @Test
    void aBurstOfZeroOrdersIsRejected() {
        assertThat(mvc.post().uri("/api/actions/burst?count=0"))
                .hasStatus(400)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.post().uri("/api/actions/burst?count=many"))
                .hasStatus(400)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        verify(load, never()).burst(ArgumentMatchers.anyInt());
    }

    @Test
    void theBurstButtonSendsTheDefaultBurst() {
        when(load.defaultBurstSize()).thenReturn(200);

        assertThat(mvc.post().uri("/api/actions/burst"))
                .hasStatus(202)
                .bodyJson()
                .extractingPath("$.count")
                .isEqualTo(200);
        verify(load).burst(200);
    }

    @Test
    void thePoisonButtonReportsTheMessageId() {
        when(poison.inject()).thenReturn("m-42");

        assertThat(mvc.post().uri("/api/actions/poison"))
                .hasStatus(202)
                .bodyJson()
                .extractingPath("$.messageId")
                .isEqualTo("m-42");
    }

    @Test
    void whenSqsRefusesThePoisonMessageThePageLearnsWhy() {
        when(poison.inject())
                .thenThrow(
                        SqsException.builder().message("queue does not exist").build());

        var result = mvc.post().uri("/api/actions/poison");
        assertThat(result).hasStatus(502).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("queue does not exist");
    }

    @Test
    void aRedriveThatShippingRefusesIsA502WithItsReason() {
        when(shipping.redriveAll())
                .thenReturn(new ActionResult(false, "not available: shipping-service is not reachable"));

        var result = mvc.post().uri("/api/actions/redrive");
        assertThat(result).hasStatus(502);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("not reachable");
    }

    @Test
    void anOrderPathForAnIdThatIsNotAUuidIsA400ProblemNamingTheField() {
        var result = mvc.get().uri("/api/orders/{id}/path", "not-a-uuid");

        assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("orderId", "UUID");
        verifyNoInteractions(paths);
    }

    @Test
    void anOrderOrderServiceDoesNotKnowIsA404Problem() {
        var id = UUID.randomUUID();
        when(paths.path(id)).thenReturn(new OrderPathSource.OrderPathView(id, false, null, List.of(), List.of()));

        assertThat(mvc.get().uri("/api/orders/{id}/path", id))
                .hasStatus(404)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains(id.toString());
    }

    @Test
    void theHistoryIsServedAsColumnsOnOneTimeAxis() {
        when(history.charts())
                .thenReturn(new Charts(
                        900,
                        List.of(1.0, 2.0),
                        List.of(5L, 6L),
                        List.of(0L, 1L),
                        List.of(1.0, 2.0),
                        List.of(2.0, 2.0),
                        List.of(0.0, 0.0),
                        List.of(0L, 0L),
                        Map.of()));

        assertThat(mvc.get().uri("/api/history"))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.queueVisible")
                .asArray()
                .containsExactly(5, 6);
    }

    @Test
    void theCarrierSwitchPassesItsSettingToShippingAndRefusesAFailureShareAboveOne() {
        when(shipping.carrierFault(2000, 0.3))
                .thenReturn(new ActionResult(true, "carrier: 2000 ms per booking, 30 % fail"));

        assertThat(mvc.put()
                        .uri("/api/faults/carrier")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"latencyMillis\":2000,\"failureRate\":0.3}"))
                .hasStatus(202);
        var bad = mvc.put()
                .uri("/api/faults/carrier")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"latencyMillis\":2000,\"failureRate\":2}");
        assertThat(bad)
                .hasStatus(400)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("failureRate");
        verify(shipping).carrierFault(2000, 0.3);
    }

    @Test
    void aCarrierSwitchShippingDoesNotOfferIsA502WithItsReason() {
        when(shipping.resetCarrierFault())
                .thenReturn(
                        new ActionResult(false, "not available: shipping-service has no DELETE /admin/faults/carrier"));

        assertThat(mvc.delete().uri("/api/faults/carrier"))
                .hasStatus(502)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("/admin/faults/carrier");
    }

    @Test
    void theSnsSwitchTurnsOnAndOffThroughOrderService() {
        when(orders.snsUnreachable(true)).thenReturn(new ActionResult(true, "SNS unreachable for order-service"));
        when(orders.snsUnreachable(false))
                .thenReturn(new ActionResult(false, "not available: order-service has no DELETE /demo/faults/sns"));

        assertThat(mvc.put().uri("/api/faults/sns-outage")).hasStatus(202);
        assertThat(mvc.delete().uri("/api/faults/sns-outage"))
                .hasStatus(502)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("/demo/faults/sns");
    }

    @Test
    void theAnalyticsDatabaseSwitchGoesDownAndComesBackThroughTheLauncher() {
        when(processFaults.analyticsDatabase(false)).thenReturn(new ActionResult(true, "analytics' database is down"));
        when(processFaults.analyticsDatabase(true))
                .thenReturn(new ActionResult(false, "analytics' database is not down"));

        assertThat(mvc.put().uri("/api/faults/analytics-database-outage"))
                .hasStatus(202)
                .bodyJson()
                .extractingPath("$.message")
                .asString()
                .contains("down");
        var notDown = mvc.delete().uri("/api/faults/analytics-database-outage").exchange();
        assertThat(notDown).hasStatus(409).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(notDown).bodyJson().extractingPath("$.detail").asString().contains("is not down");
        verify(processFaults).analyticsDatabase(false);
        verify(processFaults).analyticsDatabase(true);
    }

    @Test
    void theKillSwitchKillsOneShippingProcessAndRefusesWhileItsReplacementStarts() {
        when(processFaults.killShippingWorker())
                .thenReturn(
                        new ActionResult(true, "shipping-service pid 41 killed (SIGKILL)"),
                        new ActionResult(false, "a replacement shipping-service process is still starting"));

        assertThat(mvc.post().uri("/api/faults/shipping-kill"))
                .hasStatus(202)
                .bodyJson()
                .extractingPath("$.message")
                .asString()
                .contains("pid 41");
        assertThat(mvc.post().uri("/api/faults/shipping-kill"))
                .hasStatus(409)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("still starting");
    }

    @Test
    void withoutTheEmbeddedLauncherTheProcessSwitchesAre409sSayingWhy() {
        var attached = new DashboardController(
                collector,
                load,
                poison,
                shipping,
                history,
                paths,
                new StaticListableBeanFactory().getBeanProvider(Resharding.class),
                orders,
                new StaticListableBeanFactory().getBeanProvider(ProcessFaults.class));

        for (var response : List.of(
                attached.analyticsDatabaseOutage(),
                attached.endAnalyticsDatabaseOutage(),
                attached.killShippingWorker())) {
            assertThat(response.getStatusCode().value()).isEqualTo(409);
            assertThat(((ProblemDetail) response.getBody()).getDetail()).contains("only the embedded demo");
        }
        verifyNoInteractions(processFaults);
    }

    private static LoadProgress progress() {
        return new LoadProgress(
                true, new LoadProgress.Rates(5, 50, 0.1), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);
    }
}
