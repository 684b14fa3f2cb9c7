package io.decoupled.order.outbox;

import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The demo's "SNS unreachable" fault switch: while on, every call of this service's SNS client fails before it leaves
 * the process, the way a network partition fails it (an {@link SdkClientException}, which the relay treats as
 * transient). The outbox then shows what it is for: orders are still accepted, the backlog grows, the circuit opens,
 * and once the switch is off the relay publishes every row. Installed only with {@code order.demo.faults-enabled=true}.
 */
final class SnsOutageSwitch implements ExecutionInterceptor {
    private final AtomicBoolean on = new AtomicBoolean();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (on.get()) {
            throw SdkClientException.create("SNS unreachable (the demo's fault switch is on)");
        }
    }

    void set(boolean unreachable) {
        on.set(unreachable);
    }

    boolean isOn() {
        return on.get();
    }
}
