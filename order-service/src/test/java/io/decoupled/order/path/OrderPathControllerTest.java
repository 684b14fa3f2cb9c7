package io.decoupled.order.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import io.decoupled.order.web.WebSlice;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * The HTTP contract of GET /orders/{id}/path without a database: an unknown order is a 404 problem, a malformed id a
 * 400 problem naming it. OrderApiIT checks the same answers end to end; this slice fails in seconds when a mapping
 * breaks.
 */
@WebMvcTest(OrderPathController.class)
@Import(WebSlice.class)
class OrderPathControllerTest {
    private static final UUID ID = UUID.fromString("7f9c2ba4-e88f-4c4b-a1d6-1a0b9b0c1e2d");

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    OrderPathRepository paths;

    @Test
    void aKnownOrdersPathIsItsHopsAsJson() {
        var placed = new OrderPath.Hop("accepted", Instant.parse("2026-01-01T00:00:00Z"), "HTTP 201");
        given(paths.find(ID)).willReturn(Optional.of(new OrderPath(ID, "trace-1", List.of(placed))));

        assertThat(mvc.get().uri("/orders/{id}/path", ID))
                .hasStatus(HttpStatus.OK)
                .bodyJson()
                .extractingPath("$.hops[0].hop")
                .isEqualTo("accepted");
    }

    @Test
    void anUnknownOrderIsA404Problem() {
        given(paths.find(ID)).willReturn(Optional.empty());

        var result = mvc.get().uri("/orders/{id}/path", ID).exchange();

        assertThat(result).hasStatus(HttpStatus.NOT_FOUND).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Order not found");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(ID.toString());
    }

    @Test
    void aMalformedOrderIdIsA400ProblemNamingIt() {
        assertThat(mvc.get().uri("/orders/not-a-uuid/path"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .isEqualTo("'not-a-uuid' is not a valid id.");
        // The canonical form only: UUID.fromString would read it as 00000001-0001-0001-0001-000000000001.
        assertThat(mvc.get().uri("/orders/1-1-1-1-1/path")).hasStatus(HttpStatus.BAD_REQUEST);
        verifyNoInteractions(paths);
    }
}
