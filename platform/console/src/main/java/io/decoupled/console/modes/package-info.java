/**
 * The console jar's entry point: one plain {@code main} that picks a mode (attached, provision, embedded) and starts
 * it. It lives apart from {@code ConsoleApplication}, the Spring application, because the embedded mode starts that
 * application itself: with the modes inside it, the application and the launcher would depend on each other.
 */
package io.decoupled.console.modes;
