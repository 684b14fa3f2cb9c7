/**
 * The observability stack: alarms on dead-letter queues, message age and Kinesis iterator age, an encrypted
 * alarm topic, and one CloudWatch dashboard that shows each messaging pattern at work.
 */
package io.decoupled.infra.observability;
