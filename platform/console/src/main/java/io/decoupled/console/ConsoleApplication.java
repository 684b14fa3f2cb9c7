package io.decoupled.console;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The console's Spring application: the dashboard, the load generator and the panels' sources. It is started by
 * {@code modes.ConsoleModes} (attached) or by the embedded launcher once the system it watches is up; it knows
 * neither, so the launcher can start it without a cycle.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ConsoleApplication {}
