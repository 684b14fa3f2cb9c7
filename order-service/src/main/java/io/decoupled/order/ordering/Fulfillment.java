package io.decoupled.order.ordering;

/** How an order reaches the customer; only SHIP orders go to the shipping service. */
enum Fulfillment {
    SHIP,
    DIGITAL
}
