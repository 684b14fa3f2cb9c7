package io.decoupled.clicks.click;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The click id on the record: the client's own when it sent one, so that its resend is the same click. */
class ClickRecordedTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void aClickIdSentByTheClientIsTheRecordsIdSoThatAResendIsCountedOnce() {
        var sent = "0F8FAD5B-D9CB-469F-A165-70867728950E";
        var first = ClickRecorded.accept(request(sent), NOW, null, null);
        var resent = ClickRecorded.accept(request(sent), NOW.plusSeconds(30), null, null);
        assertThat(first.clickId().value()).isEqualTo(UUID.fromString(sent));
        assertThat(resent.clickId()).isEqualTo(first.clickId());
    }

    @Test
    void withoutOneEachAcceptanceIsANewClick() {
        var first = ClickRecorded.accept(request(null), NOW, null, null);
        var second = ClickRecorded.accept(request(null), NOW, null, null);
        assertThat(first.clickId()).isNotEqualTo(second.clickId());
    }

    private static ClickRequest request(String clickId) {
        return new ClickRequest(clickId, "s-1", "u-1", "/products/42", "/home", NOW);
    }
}
