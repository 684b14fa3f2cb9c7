/**
 * A local AWS for tests and the demo: real AWS-API emulators started as child processes on loopback
 * (or LocalStack in Testcontainers where Docker exists), provisioned with the topology, stopped on close.
 */
package io.decoupled.localaws;
