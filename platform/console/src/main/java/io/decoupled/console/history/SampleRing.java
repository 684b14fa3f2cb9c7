package io.decoupled.console.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded ring buffer of samples, oldest first. Fixed memory however long the console runs (the failure it
 * prevents: a history that grows until the heap is gone), and a window by age so a slow refresh still means
 * "the last 15 minutes".
 */
final class SampleRing {
    private final Sample[] slots;
    private final Duration window;
    private int next;
    private int size;

    SampleRing(int capacity, Duration window) {
        this.slots = new Sample[capacity];
        this.window = window;
    }

    synchronized void add(Sample sample) {
        slots[next] = sample;
        next = (next + 1) % slots.length;
        size = Math.min(size + 1, slots.length);
    }

    /** The samples no older than the window before {@code now}, oldest first. */
    synchronized List<Sample> since(Instant now) {
        var from = now.minus(window);
        var result = new ArrayList<Sample>(size);
        for (int i = 0; i < size; i++) {
            var sample = slots[(next - size + i + slots.length) % slots.length];
            if (!sample.at().isBefore(from)) {
                result.add(sample);
            }
        }
        return result;
    }
}
