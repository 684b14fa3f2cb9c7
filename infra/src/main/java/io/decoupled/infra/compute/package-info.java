/**
 * The compute stack: an ECS Fargate cluster running the four services behind one Application Load
 * Balancer, each with its own least-privilege task role, configuration and log group.
 */
package io.decoupled.infra.compute;
