/**
 * One long-running child process: started from a {@link io.decoupled.childprocess.Launch}, awaited with a readiness
 * check its caller supplies, stopped gracefully within a bound, killed for fault injection, cleaned up on JVM exit.
 */
package io.decoupled.childprocess;
