/**
 * The messaging topology, defined once: topics, queues, dead-letter queues, subscriptions with their
 * filter policies, and the Kinesis stream. The local provisioner, the tests and the CDK app all read it.
 */
package io.decoupled.topology;
