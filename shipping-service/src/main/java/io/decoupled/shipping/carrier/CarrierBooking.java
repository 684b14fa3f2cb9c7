package io.decoupled.shipping.carrier;

/** A confirmed booking: who carries the parcel and how to track it. */
public record CarrierBooking(String carrier, String trackingNumber) {}
