package io.decoupled.shipping.redrive;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * With {@code shipping.admin.enabled=false} the admin API does not exist: 404 for every admin path, token or not. The
 * AWS deployment without a certificate switches it off, so that no route the load balancer gets wrong (a path it
 * matches raw and Tomcat normalises) can reach it over plain HTTP.
 */
final class AdminSwitch implements HandlerInterceptor {
    private final boolean enabled;

    AdminSwitch(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        if (enabled) {
            return true;
        }
        response.setStatus(HttpStatus.NOT_FOUND.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("""
                {"type":"about:blank","title":"Not Found","status":404,\
                "detail":"The admin API is switched off in this deployment (shipping.admin.enabled=false)."}""");
        return false;
    }
}
