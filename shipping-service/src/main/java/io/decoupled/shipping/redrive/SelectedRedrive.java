package io.decoupled.shipping.redrive;

import java.util.List;

/** The outcome of redriving chosen messages: which were moved back and which were not in the DLQ. */
record SelectedRedrive(List<String> redriven, List<String> notFound) {}
