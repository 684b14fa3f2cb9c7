package io.decoupled.shipping.redrive;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Pattern: rate limiter (Resilience4j) on the admin API. Beyond {@code shipping.admin.requests-per-second} a request
 * is a 429 problem with Retry-After at once, never queued: a script looping on redrive, or someone guessing the token,
 * cannot turn the admin API into a flood of SQS calls or an oracle. One limit for all callers (the API has one operator).
 */
final class AdminRateLimit implements HandlerInterceptor {
    private final RateLimiter limiter;

    AdminRateLimit(int requestsPerSecond) {
        this.limiter = RateLimiter.of(
                "shipping-admin",
                RateLimiterConfig.custom()
                        .limitForPeriod(requestsPerSecond)
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        .timeoutDuration(Duration.ZERO)
                        .build());
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        if (limiter.acquirePermission()) {
            return true;
        }
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, "1");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("""
                {"type":"about:blank","title":"Too Many Requests","status":429,\
                "detail":"The admin API serves at most %d requests a second; retry after a second."}""".formatted(limiter.getRateLimiterConfig().getLimitForPeriod()));
        return false;
    }
}
