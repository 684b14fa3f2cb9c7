/**
 * The console's HTTP edge: what is refused before the dashboard's handlers run (by Tomcat, through the services'
 * shared hardening in platform/web-security, or by the servlet container's error page) is answered as problem+json
 * like the API's own refusals, never as Tomcat's HTML page, Spring Boot's default error body or a 500.
 */
package io.decoupled.console.web;
