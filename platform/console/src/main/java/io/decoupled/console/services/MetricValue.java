package io.decoupled.console.services;

/** One number a service publishes through Micrometer, or null with the reason it is missing. */
public record MetricValue(String label, String metric, Double value) {}
