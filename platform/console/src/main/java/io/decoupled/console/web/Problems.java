package io.decoupled.console.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** A problem+json written straight to the response, for refusals made before Spring MVC: a fixed detail, no input. */
final class Problems {
    private Problems() {}

    /** Status, type and body, in UTF-8 without a charset parameter, as Spring writes its own problems. */
    static void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        byte[] body = json(status, detail).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static String json(HttpStatus status, String detail) {
        return "{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":" + status.value()
                + ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }
}
