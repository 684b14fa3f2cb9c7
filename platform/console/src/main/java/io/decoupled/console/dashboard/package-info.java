/**
 * The dashboard: the snapshot collector, the JSON API with the buttons, and the static page that polls it
 * (src/main/resources/static). It composes the sources; none of them knows about it.
 */
package io.decoupled.console.dashboard;
