/**
 * The network every other stack runs in: a two-AZ VPC with flow logs, and one security group per service
 * so that each database can admit exactly the tasks of the service that owns it.
 */
package io.decoupled.infra.network;
