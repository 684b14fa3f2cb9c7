/**
 * HTTP concerns shared by every endpoint: RFC 9457 problem+json for bad input, and the OpenAPI description.
 * Feature exceptions carry their own problem details; this package only translates framework errors.
 */
package io.decoupled.order.web;
