package io.decoupled.shipping.redrive;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps admin request bodies: a body over the limit, declared or sent without a length, is a 413 problem before it
 * is parsed, so one request cannot make the service buffer an arbitrarily large document.
 */
final class AdminRequestLimit extends OncePerRequestFilter {
    private final long limit;

    AdminRequestLimit(long limit) {
        this.limit = limit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        boolean chunked = declared < 0 && "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
        if (declared > limit || chunked) {
            // Chunked admin bodies are refused too: the admin API's bodies are small and clients send a length.
            response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setHeader("Connection", "close");
            response.getWriter().write("""
                    {"type":"about:blank","title":"Request body too large","status":413,\
                    "detail":"%s"}""".formatted(
                            chunked
                                    ? "Send the admin request with a Content-Length of at most " + limit + " bytes."
                                    : "The request body is larger than " + limit + " bytes."));
            return;
        }
        chain.doFilter(request, response);
    }
}
