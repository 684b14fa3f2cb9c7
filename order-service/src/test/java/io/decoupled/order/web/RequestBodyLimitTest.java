package io.decoupled.order.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/** The body cap holds whether or not the client declares a length. */
class RequestBodyLimitTest {
    private final RequestBodyLimit filter = new RequestBodyLimit(
            new WebLimits(DataSize.ofBytes(100), DataSize.ofKilobytes(16)),
            JsonMapper.builder().build());

    @Test
    void aDeclaredLengthOverTheLimitIsA413ProblemWithoutReadingTheBody() throws Exception {
        var request = new MockHttpServletRequest("POST", "/orders");
        request.setContent(new byte[101]);
        var response = new MockHttpServletResponse();

        filter.doFilter(request, response, (req, res) -> {
            throw new AssertionError("the request must not reach the application");
        });

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).contains("larger than 100 bytes");
    }

    @Test
    void aBodyWithoutALengthIsCutOffWhereItPassesTheLimit() throws Exception {
        // Chunked: no Content-Length, so the stream itself counts.
        var request = new MockHttpServletRequest("POST", "/orders") {
            @Override
            public long getContentLengthLong() {
                return -1;
            }
        };
        request.setContent(new byte[1000]);

        assertThatThrownBy(() -> filter.doFilter(
                        request,
                        new MockHttpServletResponse(),
                        (req, res) -> req.getInputStream().readAllBytes()))
                .isInstanceOf(RequestBodyLimit.TooLarge.class);
    }

    @Test
    void aBodyWithinTheLimitPassesUntouched() throws Exception {
        var request = new MockHttpServletRequest("POST", "/orders");
        request.setContent(new byte[100]);
        var read = new int[1];

        filter.doFilter(
                request,
                new MockHttpServletResponse(),
                (req, res) -> read[0] = req.getInputStream().readAllBytes().length);

        assertThat(read[0]).isEqualTo(100);
    }
}
