/**
 * Converges any AWS endpoint (emulators, LocalStack, Floci, a real account) to the topology: creates what
 * is missing, corrects what differs, and reports what it did; a second run reports no change.
 */
package io.decoupled.topology.provision;
