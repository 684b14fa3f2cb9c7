/**
 * Who may change the running system through the console: same-origin requests only, and a bearer token once the
 * console listens beyond loopback.
 */
package io.decoupled.console.security;
