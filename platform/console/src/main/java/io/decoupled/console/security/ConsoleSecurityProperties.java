package io.decoupled.console.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param token the bearer token the console's state-changing endpoints require; empty means: none while the console
 *              listens on loopback only, a random one (logged once at start) when it listens beyond loopback
 */
@ConfigurationProperties("console.security")
record ConsoleSecurityProperties(String token) {}
