/**
 * Clicks: the KCL record processor for {@code clickstream}, the windowed click aggregates it keeps in
 * PostgreSQL (deduplicated on click id), and their REST endpoints.
 */
package io.decoupled.analytics.clicks;
