package io.decoupled.console.panel;

import java.util.Objects;

/**
 * One dashboard panel: its data, or why it has none. A panel whose source (a service endpoint, a metric)
 * does not exist yet or does not answer shows "not available" with the reason instead of breaking the page.
 *
 * @param source where the numbers come from, shown under the panel (for example "SQS GetQueueAttributes")
 */
public record Panel<T>(String source, boolean available, String reason, T data) {

    public Panel {
        Objects.requireNonNull(source, "source");
    }

    public static <T> Panel<T> of(String source, T data) {
        return new Panel<>(source, true, null, Objects.requireNonNull(data, "data"));
    }

    public static <T> Panel<T> unavailable(String source, String reason) {
        return new Panel<>(source, false, reason, null);
    }
}
