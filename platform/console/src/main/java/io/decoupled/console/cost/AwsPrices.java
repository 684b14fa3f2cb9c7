package io.decoupled.console.cost;

import java.util.List;

/**
 * AWS list prices per million requests (or items), us-east-1, as in docs/cost.md: the one table the meter prices
 * with. A call with no price here (Kinesis reads, DynamoDB table management) is counted but costs 0 per request,
 * because AWS bills it another way (shard hours) or not at all.
 */
final class AwsPrices {
    /** Which flow a call serves: SQS and SNS carry orders, Kinesis and the KCL's DynamoDB and CloudWatch carry clicks. */
    enum Flow {
        ORDERS,
        CLICKS
    }

    /**
     * @param operations   the operations this price applies to; empty means every operation of the AWS service
     * @param perItem      billed per item (Kinesis PUT payload unit), so batching items into one call saves nothing
     */
    record Price(String awsService, List<String> operations, double dollarsPerMillion, boolean perItem, Flow flow) {
        boolean matches(String service, String operation) {
            return awsService.equals(service) && (operations.isEmpty() || operations.contains(operation));
        }
    }

    static final String REGION = "us-east-1";

    static final List<Price> PRICES = List.of(
            // SQS standard queue requests; a batch of up to 10 messages (each 64 KB chunk) is one billed request.
            new Price("Sqs", List.of(), 0.40, false, Flow.ORDERS),
            // SNS standard topic publishes; deliveries to SQS are free. A PublishBatch is billed per 64 KB chunk.
            new Price("Sns", List.of(), 0.50, false, Flow.ORDERS),
            // Kinesis provisioned mode: PUT payload units (each record up to 25 KB); reads are in the shard hours.
            new Price("Kinesis", List.of("PutRecords", "PutRecord"), 0.014, true, Flow.CLICKS),
            new Price("Kinesis", List.of(), 0, false, Flow.CLICKS),
            // DynamoDB on-demand, the KCL's lease table: one read or write request unit per small item.
            new Price("DynamoDb", List.of("GetItem", "Scan", "Query", "BatchGetItem"), 0.125, false, Flow.CLICKS),
            new Price(
                    "DynamoDb",
                    List.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"),
                    0.625,
                    false,
                    Flow.CLICKS),
            new Price("DynamoDb", List.of(), 0, false, Flow.CLICKS),
            // CloudWatch PutMetricData (the KCL's metrics, when its metrics level is not NONE): $0.01 per 1,000
            // requests.
            new Price("CloudWatch", List.of("PutMetricData"), 10.00, false, Flow.CLICKS),
            new Price("CloudWatch", List.of(), 0, false, Flow.CLICKS));

    private AwsPrices() {}

    /** The first matching price; an AWS service not in the table is priced at 0 and shown as such. */
    static Price of(String awsService, String operation) {
        return PRICES.stream()
                .filter(p -> p.matches(awsService, operation))
                .findFirst()
                .orElse(new Price(awsService, List.of(), 0, false, Flow.ORDERS));
    }
}
