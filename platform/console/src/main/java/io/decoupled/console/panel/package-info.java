/**
 * The shape every dashboard panel shares: data with its source, or the reason it is not available.
 * Kept apart so that the sources and the dashboard both use it without depending on each other.
 */
package io.decoupled.console.panel;
