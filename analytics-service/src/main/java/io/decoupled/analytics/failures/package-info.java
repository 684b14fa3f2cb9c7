/**
 * What every consumer of analytics does with a failure: classify it ({@link io.decoupled.analytics.failures.Failures}),
 * set a poison record aside with its reason ({@link io.decoupled.analytics.failures.RejectedRecords}), retry a transient one.
 * Shared by the features on purpose: one classification, one place where set-aside records are kept.
 */
package io.decoupled.analytics.failures;
