package io.decoupled.shipping.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Batch entry ids for SQS's batch calls ({@code DeleteMessageBatch}, {@code ChangeMessageVisibilityBatch},
 * {@code SendMessageBatch}). An entry's id is its index in the batch, which is unique within the call as SQS requires,
 * and lets the response's ids be mapped back without a lookup table; every batched call here numbers its entries this
 * one way.
 */
public final class BatchEntries {
    /** The most entries SQS takes in one batch call. */
    public static final int MAX_ENTRIES = 10;

    private BatchEntries() {}

    /** One entry per item, built from the item and its id (its index, as text). */
    public static <T, E> List<E> numbered(List<T> items, BiFunction<String, T, E> entry) {
        if (items.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(
                    "an SQS batch holds at most " + MAX_ENTRIES + " entries, not " + items.size());
        }
        var entries = new ArrayList<E>(items.size());
        for (int i = 0; i < items.size(); i++) {
            entries.add(entry.apply(Integer.toString(i), items.get(i)));
        }
        return entries;
    }

    /** The item a response entry's id names. */
    public static <T> T item(List<T> items, String id) {
        return items.get(Integer.parseInt(id));
    }

    /** The list cut into consecutive batches of at most {@link #MAX_ENTRIES}. */
    public static <T> List<List<T>> batches(List<T> items) {
        var batches = new ArrayList<List<T>>();
        for (int from = 0; from < items.size(); from += MAX_ENTRIES) {
            batches.add(items.subList(from, Math.min(from + MAX_ENTRIES, items.size())));
        }
        return batches;
    }
}
