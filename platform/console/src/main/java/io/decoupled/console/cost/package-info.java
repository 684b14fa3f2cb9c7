/**
 * The cost meter: every AWS API call the services counted (their aws.requests counters), priced at AWS list prices,
 * per million orders and per million clicks, beside what the same work would cost unbatched and short-polled.
 */
package io.decoupled.console.cost;
