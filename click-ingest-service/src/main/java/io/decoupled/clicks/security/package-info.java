/**
 * Who may call the API: the shared JWT resource server (platform/web-security) on /clicks (off by default on a
 * laptop, on in the AWS deployment), and the request firewall every request passes. docs/security.md says what each
 * control stops.
 */
package io.decoupled.clicks.security;
