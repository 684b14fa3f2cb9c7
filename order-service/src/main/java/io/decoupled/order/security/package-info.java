/**
 * Who may call the API: a JWT resource server for /orders (off by default on a laptop, on in the AWS deployment),
 * and the request firewall every request passes. docs/security.md says what each control stops.
 */
package io.decoupled.order.security;
