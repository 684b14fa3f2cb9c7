/**
 * The data stack: one PostgreSQL database per service that keeps state, its credentials generated into
 * Secrets Manager, reachable only from the security group of the service that owns it.
 */
package io.decoupled.infra.data;
