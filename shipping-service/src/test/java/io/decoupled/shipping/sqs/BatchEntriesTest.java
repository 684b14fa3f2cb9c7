package io.decoupled.shipping.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchEntriesTest {
    @Test
    void entriesAreNumberedByIndexAndTheirIdsLeadBackToTheirItem() {
        var items = List.of("a", "b", "c");
        var entries = BatchEntries.numbered(items, (id, item) -> id + "=" + item);
        assertThat(entries).containsExactly("0=a", "1=b", "2=c");
        assertThat(BatchEntries.item(items, "2")).isEqualTo("c");
    }

    @Test
    void aBatchOfMoreThanTenIsRefusedBeforeSqsWouldRefuseIt() {
        var eleven = IntStream.range(0, 11).boxed().toList();
        assertThatIllegalArgumentException().isThrownBy(() -> BatchEntries.numbered(eleven, (id, item) -> id));
    }

    @Test
    void listsAreCutIntoBatchesOfAtMostTen() {
        var items = IntStream.range(0, 23).boxed().toList();
        var batches = BatchEntries.batches(items);
        assertThat(batches).extracting(List::size).containsExactly(10, 10, 3);
        assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(items);
        assertThat(BatchEntries.batches(List.of())).isEmpty();
    }
}
