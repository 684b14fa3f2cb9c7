/**
 * The messaging topology, defined once: topics, queues, dead-letter queues, subscriptions with their
 * filter policies, and the Kinesis stream. The local provisioner, the tests and the CDK app all read it. Also the
 * client settings of the clickstream on Amazon MSK (IAM authentication), shared by both Kafka services.
 */
package io.decoupled.topology;
