/**
 * The dashboard over time: a server-side ring buffer of samples taken from each snapshot, served as chart
 * columns, so a page opened late still shows the last window (15 minutes by default).
 */
package io.decoupled.console.history;
