/**
 * Every AWS API call counted, by AWS service and operation, beside the count the same work would need without
 * batching and long polling; the console turns both into dollars. And the one reading of AWS's error codes the
 * callers share: which refusals lie with the resource, its key or the credentials ({@link AwsRefusals}).
 */
package io.decoupled.awscalls;
