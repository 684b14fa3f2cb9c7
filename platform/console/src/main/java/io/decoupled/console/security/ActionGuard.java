package io.decoupled.console.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Cross-site request forgery and remote control, refused: the console's state-changing endpoints (load, bursts,
 * poison, redrive) act on the whole system, so a web page the operator happens to open must not be able to drive
 * them with a form or a script, and nobody else on the network may drive them at all.
 *
 * <ul>
 *   <li>A request a browser marks as cross-site ({@code Sec-Fetch-Site}) or whose {@code Origin} is not this
 *       console's own is refused (403). Browsers send both on every cross-origin POST and PUT and do not let a page
 *       forge them; reads stay open, since a cross-site page cannot read the answers (no CORS).</li>
 *   <li>With a token (configured, or required because the console listens beyond loopback), a state-changing
 *       request needs {@code Authorization: Bearer <token>} (401 otherwise), compared in constant time.</li>
 * </ul>
 */
final class ActionGuard extends OncePerRequestFilter {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> SAME_SITE = Set.of("same-origin", "none");

    private final Optional<byte[]> token;

    ActionGuard(Optional<String> token) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return SAFE_METHODS.contains(request.getMethod())
                || !request.getRequestURI().startsWith(request.getContextPath() + "/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null && !SAME_SITE.contains(fetchSite)) {
            refuse(
                    response,
                    HttpStatus.FORBIDDEN,
                    "cross-site requests may not change the system (Sec-Fetch-Site: " + shorten(fetchSite) + ")");
            return;
        }
        var origin = request.getHeader("Origin");
        if (origin != null && !sameOrigin(origin, request)) {
            refuse(
                    response,
                    HttpStatus.FORBIDDEN,
                    "requests from another origin may not change the system (Origin: " + shorten(origin) + ")");
            return;
        }
        if (token.isPresent() && !bearerMatches(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"console\"");
            refuse(
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "this console listens beyond loopback; send Authorization: Bearer <token> "
                            + "(the token is in the console's start-up log, or open the dashboard as /#token=<token>)");
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean bearerMatches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(
                authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8), token.orElseThrow());
    }

    /** The Origin names this console: the same host and port the request was addressed to (its Host header). */
    private static boolean sameOrigin(String origin, HttpServletRequest request) {
        try {
            var uri = URI.create(origin);
            var host = request.getHeader("Host");
            if (uri.getHost() == null || host == null) {
                return false;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return (uri.getHost() + ":" + port)
                    .equalsIgnoreCase(host.contains(":") ? host : host + ":" + (request.isSecure() ? 443 : 80));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void refuse(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
                        + status.value() + ",\"detail\":\""
                        + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    /** At most a short, printable prefix of what the client sent. */
    private static String shorten(String value) {
        var printable = value.codePoints()
                .filter(c -> c >= 0x20 && c < 0x7f)
                .limit(60)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.length() < value.length() ? printable + "…" : printable;
    }
}
