package io.decoupled.websecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class CanonicalUuidTest {
    @Test
    void theCanonicalFormInEitherCaseIsRead() {
        var id = UUID.randomUUID();
        assertThat(CanonicalUuid.parse(id.toString())).isEqualTo(id);
        assertThat(CanonicalUuid.parse(id.toString().toUpperCase())).isEqualTo(id);
    }

    @Test
    void everyOtherFormIsRefusedThoughUuidFromStringWouldTakeSome() {
        for (var text : new String[] {
            "1-1-1-1-1",
            "00000001-0001-0001-0001-1",
            "7f9c2ba4e88f4c4ba1d61a0b9b0c1e2d",
            "{7f9c2ba4-e88f-4c4b-a1d6-1a0b9b0c1e2d}",
            " 7f9c2ba4-e88f-4c4b-a1d6-1a0b9b0c1e2d",
            "7f9c2ba4-e88f-4c4b-a1d6-1a0b9b0c1e2d0",
            "7f9c2ba4-e88f-4c4b-a1d6-1a0b9b0c1e2g",
            "",
            null
        }) {
            assertThatIllegalArgumentException().as(text).isThrownBy(() -> CanonicalUuid.parse(text));
        }
        assertThat(UUID.fromString("1-1-1-1-1")).as("why this class exists").isNotNull();
    }
}
