/**
 * Every AWS API call counted, by AWS service and operation, beside the count the same work would need without
 * batching and long polling; the console turns both into dollars.
 */
package io.decoupled.awscalls;
