/**
 * The clickstream on Kafka in AWS ({@code -c clickstream=kafka}): an MSK Serverless cluster with IAM authentication in
 * the VPC's private subnets, reachable only from the tasks of the two services that use it, and its bootstrap servers.
 */
package io.decoupled.infra.kafka;
