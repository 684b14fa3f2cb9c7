/**
 * The compute stack: an ECS Fargate cluster running the four services behind one Application Load Balancer,
 * composed of constructs: the public entrance (load balancer), one service task per service (least-privilege task
 * role, configuration, secrets, log group, ECS service) and the token issuer of the write APIs.
 */
package io.decoupled.infra.compute;
