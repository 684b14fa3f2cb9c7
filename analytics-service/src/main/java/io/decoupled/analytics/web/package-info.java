/**
 * The HTTP edge shared by every feature: bad requests become short problem+json answers, never a 5xx or a stack
 * trace, and never an echo of a long input.
 */
package io.decoupled.analytics.web;
