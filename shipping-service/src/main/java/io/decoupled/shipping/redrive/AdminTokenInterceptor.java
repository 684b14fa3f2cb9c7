package io.decoupled.shipping.redrive;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Bearer-token check for the admin endpoints, compared in constant time so the token cannot be guessed
 * byte by byte from response times. Deliberately small: in AWS the admin API would sit behind IAM or an
 * identity-aware proxy as well. Answers 401 as problem+json.
 */
final class AdminTokenInterceptor implements HandlerInterceptor {
    private final byte[] expected;

    AdminTokenInterceptor(String token) {
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        var header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"shipping-admin\"");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("""
                {"type":"about:blank","title":"Unauthorized","status":401,\
                "detail":"The admin endpoints need 'Authorization: Bearer <shipping.admin.token>'.","instance":"%s"}""".formatted(request.getRequestURI().replace("\"", "")));
        return false;
    }
}
