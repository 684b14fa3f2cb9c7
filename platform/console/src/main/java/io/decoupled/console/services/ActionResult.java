package io.decoupled.console.services;

/** The outcome of a button that asks a service to act (redrive, a fault switch): done, or the reason it was not. */
public record ActionResult(boolean accepted, String detail) {}
