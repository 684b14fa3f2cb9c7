/**
 * The one-shot provisioning command that docker compose runs before the services start: the same
 * TopologyProvisioner the tests and the embedded launcher use, against the endpoint from the environment.
 */
package io.decoupled.console.provision;
