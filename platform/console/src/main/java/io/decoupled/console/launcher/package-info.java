/**
 * The one-command embedded demo: the supervisor Maven runs, and the system it starts (emulators,
 * PostgreSQL, the four services as child processes, the console), stopped in order on Ctrl-C.
 */
package io.decoupled.console.launcher;
