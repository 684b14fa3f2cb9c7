package io.decoupled.shipping.shipment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import io.decoupled.shipping.redrive.AdminSlice;
import java.time.Instant;
import java.util.List;
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
 * The HTTP contract of GET /shipments/{orderId}/path without a database: an order's hops as JSON, and a malformed id
 * a 400 problem naming the parameter. ShippingFlowContract checks the same end to end; this slice fails in seconds
 * when a mapping breaks.
 */
@WebMvcTest(ShipmentPathController.class)
@Import(AdminSlice.class)
class ShipmentPathControllerTest {
    private static final UUID ID = UUID.fromString("7f9c2ba4-e88f-4c4b-a1d6-1a0b9b0c1e2d");

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    ShipmentPathRepository paths;

    @Test
    void anOrdersHopsAreItsPathAsJson() {
        var received =
                new ShipmentPath.Hop("received by shipping", Instant.parse("2026-01-01T00:00:00Z"), "OrderPlaced");
        given(paths.find(ID)).willReturn(new ShipmentPath(ID, List.of(received)));

        assertThat(mvc.get().uri("/shipments/{orderId}/path", ID))
                .hasStatus(HttpStatus.OK)
                .bodyJson()
                .extractingPath("$.hops[0].hop")
                .isEqualTo("received by shipping");
    }

    @Test
    void aMalformedOrderIdIsA400ProblemNamingIt() {
        assertThat(mvc.get().uri("/shipments/not-a-uuid/path"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .isEqualTo("'not-a-uuid' is not a valid orderId.");
        // UUID.fromString would read this as 00000001-0001-0001-0001-000000000001: another name for one order.
        assertThat(mvc.get().uri("/shipments/1-1-1-1-1/path"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .isEqualTo("'1-1-1-1-1' is not a valid orderId.");
        verifyNoInteractions(paths);
    }
}
