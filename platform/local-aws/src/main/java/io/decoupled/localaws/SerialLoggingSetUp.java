package io.decoupled.localaws;

import java.util.concurrent.locks.ReentrantLock;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;

/**
 * Lets one Spring application at a time of this JVM through the start of its run, up to its context being prepared:
 * the stretch in which Spring Boot sets up logging. The test suites start several applications in one JVM at once
 * (integration test classes run in parallel), and they all set up the one logback context, whose property map is not
 * safe to write from two threads: a start failed with {@code ConcurrentModificationException} in
 * {@code ContextBase.getCopyOfPropertyMap}. Only this short stretch is serialised; the contexts still refresh, and
 * their applications start, side by side.
 *
 * <p>Registered in {@code META-INF/spring.factories} of this module, which only tests and the demo's console have on
 * their class path; a lone application takes an uncontended lock.
 */
public final class SerialLoggingSetUp implements SpringApplicationRunListener, Ordered {
    private static final ReentrantLock SET_UP = new ReentrantLock();

    @Override
    public void starting(ConfigurableBootstrapContext bootstrapContext) {
        SET_UP.lock();
    }

    /** Logging is set up when the environment is prepared, which every listener has been told by now. */
    @Override
    public void contextPrepared(ConfigurableApplicationContext context) {
        release();
    }

    @Override
    public void failed(ConfigurableApplicationContext context, Throwable exception) {
        release();
    }

    private static void release() {
        if (SET_UP.isHeldByCurrentThread()) {
            SET_UP.unlock();
        }
    }

    /** Before Spring Boot's own listener, which publishes the events that set up logging. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
