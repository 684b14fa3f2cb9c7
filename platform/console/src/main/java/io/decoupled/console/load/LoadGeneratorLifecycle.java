package io.decoupled.console.load;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts the load generator with the application context, like every other moving part: in the last phase, so the
 * dashboard and its clients are up before the first request goes out, and stopped first at shutdown, so no request
 * is sent through a client that is already closing. With {@code console.load.enabled} it also turns the load on.
 */
@Component
class LoadGeneratorLifecycle implements SmartLifecycle {
    private final LoadGenerator generator;
    private final LoadProperties properties;
    private volatile boolean running;

    LoadGeneratorLifecycle(LoadGenerator generator, LoadProperties properties) {
        this.generator = generator;
        this.properties = properties;
    }

    @Override
    public void start() {
        generator.open();
        if (properties.enabled()) {
            generator.start();
        }
        running = true;
    }

    @Override
    public void stop() {
        generator.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
