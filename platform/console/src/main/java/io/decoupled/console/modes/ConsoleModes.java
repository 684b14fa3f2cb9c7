package io.decoupled.console.modes;

import io.decoupled.console.ConsoleApplication;
import io.decoupled.console.launcher.EmbeddedSystem;
import io.decoupled.console.provision.ProvisionCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;

/**
 * The demo console. One jar, three modes, chosen by the first argument:
 * <ul>
 *   <li>(none) or {@code attached}: the dashboard and the load generator, with AWS and the services found
 *       through configuration (docker compose, or any running system);</li>
 *   <li>{@code provision}: converge the endpoint to {@code Topology.reference()} and exit (compose's one-shot);</li>
 *   <li>{@code embedded}: the one-command demo without Docker: emulators, PostgreSQL, the four services, then
 *       the dashboard wired to them.</li>
 * </ul>
 */
public final class ConsoleModes {
    private ConsoleModes() {}

    public static void main(String[] args) {
        String mode = args.length == 0 ? "attached" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (mode) {
            case "attached" -> SpringApplication.run(ConsoleApplication.class, rest);
            case "provision" -> System.exit(ProvisionCommand.run());
            case "embedded" -> EmbeddedSystem.main(rest);
            default -> {
                if (mode.startsWith("--")) {
                    SpringApplication.run(ConsoleApplication.class, args);
                } else {
                    System.err.println("unknown mode '" + mode + "': use attached (default), provision or embedded");
                    System.exit(2);
                }
            }
        }
    }
}
