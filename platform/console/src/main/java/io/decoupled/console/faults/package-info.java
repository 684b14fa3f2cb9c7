/**
 * The fault switches that need the processes themselves (analytics' database, a shipping worker process): only the
 * embedded demo owns them, so only the embedded launcher provides {@link io.decoupled.console.faults.ProcessFaults}.
 */
package io.decoupled.console.faults;
