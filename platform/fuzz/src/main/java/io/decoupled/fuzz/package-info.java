/**
 * Generated input for the endpoint fuzz tests ({@code OrderApiFuzzIT}, {@code ClickEndpointFuzzIT},
 * {@code AdminApiFuzzIT}, {@code AnalyticsEndpointFuzzIT}): {@link io.decoupled.fuzz.Gen} draws values from a seeded
 * source, {@link io.decoupled.fuzz.Chars} builds hostile strings, {@link io.decoupled.fuzz.Fuzz} runs a property over
 * them and names the seed that replays a failure.
 */
package io.decoupled.fuzz;
