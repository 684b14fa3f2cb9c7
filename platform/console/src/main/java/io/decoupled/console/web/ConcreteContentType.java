package io.decoupled.console.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A Content-Type says what the body is; {@code *}{@code /*} or {@code application/*} says nothing, and Spring failed on
 * it while reading the body (an IllegalArgumentException, so a 500 with a stack trace in the log). Such a request is a
 * 415 problem before it reaches a handler; an unparseable Content-Type is left to Spring, which answers 415 itself.
 */
@Component
class ConcreteContentType extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (wildcard(request.getContentType())) {
            Problems.write(
                    response,
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "the Content-Type is a wildcard and names no media type; send the body as application/json");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean wildcard(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return false;
        }
        try {
            var type = MediaType.parseMediaType(contentType);
            return type.isWildcardType() || type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
