/**
 * Adapters to the four services' REST and Actuator endpoints, one small class per dashboard panel; every
 * path and metric name a panel reads lives in its adapter, and a missing one shows as "not available".
 */
package io.decoupled.console.services;
