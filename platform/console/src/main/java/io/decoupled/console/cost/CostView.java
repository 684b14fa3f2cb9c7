package io.decoupled.console.cost;

import java.time.Instant;
import java.util.List;

/**
 * The cost meter since {@code since}: every AWS call counted by the services in that time, priced, and the cost per
 * million orders and per million clicks, as run and as it would be unbatched and short-polled.
 *
 * @param orders orders placed since {@code since}; {@code clicks} records written to the stream since then
 */
public record CostView(
        Instant since,
        String region,
        long orders,
        long clicks,
        List<Row> calls,
        PerMillion perMillionOrders,
        PerMillion perMillionClicks,
        List<Saving> savings) {

    /** One (service, AWS service, operation): calls sent, calls the unbatched system would send, and their dollars. */
    public record Row(
            String service,
            String awsService,
            String operation,
            String flow,
            double requests,
            double unbatched,
            double dollarsPerMillion,
            boolean perItem,
            double dollars,
            double dollarsUnbatched) {}

    /** Dollars per million orders (or clicks); null while there were none to divide by. */
    public record PerMillion(Double actual, Double unbatched) {}

    /** What one technique saves: the calls it avoided and their dollars. */
    public record Saving(String technique, double callsAvoided, double dollarsSaved) {}
}
