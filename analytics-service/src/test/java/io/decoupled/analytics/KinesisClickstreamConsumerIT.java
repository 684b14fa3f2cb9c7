package io.decoupled.analytics;

import io.decoupled.analytics.support.AnalyticsEnvironment;
import io.decoupled.analytics.support.AnalyticsEnvironment.Click;
import io.decoupled.analytics.support.AnalyticsEnvironment.Put;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.context.ConfigurableApplicationContext;

/** The consumer contract on Kinesis (kinesalite, KCL leases in dynalite), the default backend: no backend set at all. */
class KinesisClickstreamConsumerIT extends ClickstreamConsumerContract {
    private final AnalyticsEnvironment env = new AnalyticsEnvironment("contract", 2);

    @Override
    AnalyticsEnvironment env() {
        return env;
    }

    @Override
    Map<String, String> backendProperties(String name) {
        return Map.of("analytics.kcl.worker-id", name);
    }

    @Override
    List<Put> put(List<Click> clicks) {
        var puts = new ArrayList<Put>();
        for (int from = 0; from < clicks.size(); from += 500) {
            puts.addAll(env.putOnce(clicks.subList(from, Math.min(clicks.size(), from + 500))));
        }
        return puts;
    }

    @Override
    Set<String> activeReaders(Map<String, ConfigurableApplicationContext> readers) {
        return env.leases().values().stream()
                .filter(l -> !"SHARD_END".equals(l.get("checkpoint")))
                .map(l -> String.valueOf(l.get("leaseOwner")))
                .collect(Collectors.toSet());
    }

    @Override
    boolean checkpointPassed(Put record) {
        var lease = env.leases().get(record.shardId());
        var checkpoint = lease == null ? null : lease.get("checkpoint");
        if (checkpoint == null || !checkpoint.chars().allMatch(Character::isDigit)) {
            return false;
        }
        return new BigInteger(checkpoint).compareTo(new BigInteger(record.sequenceNumber())) >= 0;
    }
}
