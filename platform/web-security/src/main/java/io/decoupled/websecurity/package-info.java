/**
 * The HTTP edge the services share, written once. {@code WebServerHardening}: Tomcat refuses
 * ambiguous paths and oversized headers (all four services). {@code ApiSecurityConfiguration}:
 * a JWT resource server on the paths a service names ({@code ProtectedPaths}), off by default
 * on a laptop, on in the AWS deployment (order-service and click-ingest-service). docs/security.md says what each
 * control stops.
 *
 * <p>Switched on explicitly, not by auto-configuration: a service declares {@code WebServerHardening} as a bean with its
 * own header limit, and imports {@code ApiSecurityConfiguration} with {@code @Import} next to its
 * {@code ProtectedPaths}. A reader of a service then finds who guards it in the service's own code, and a service that
 * serves no public write API (shipping, analytics) cannot get a security chain by having this module on its classpath.
 */
package io.decoupled.websecurity;
