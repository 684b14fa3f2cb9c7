package io.decoupled.websecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The body check against the JDK's strict UTF-8 decoder, which refuses exactly what RFC 3629 forbids. */
class Utf8JsonBodiesTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void wellFormedTextPassesUnchanged() throws IOException {
        var text = "{\"page\":\"/é/中/😀\",\"x\":\"\\u0000\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(readAll(text, 1)).isEqualTo(text);
        assertThat(readAll(text, 7)).isEqualTo(text);
    }

    @Test
    void overlongFormsSurrogatesAndCodePointsPastTheLastAreRefused() {
        for (var bad : new String[] {
            "c0af", // an overlong "/"
            "c0ae", // an overlong "."
            "e080af", // a three-byte overlong "/"
            "f08080af", // a four-byte overlong "/"
            "c1bf",
            "eda080", // an encoded high surrogate
            "edbfbf", // an encoded low surrogate
            "f4908080", // past U+10FFFF
            "f5808080",
            "ff",
            "80", // a continuation byte without a lead
            "e282", // cut short by the end
            "c3", // cut short by the end
            "e228a1" // a lead whose next byte is not a continuation
        }) {
            var bytes = HEX.parseHex("7b22223a22" + bad + "227d");
            assertThatThrownBy(() -> readAll(bytes, 3)).as(bad).isInstanceOf(CharacterCodingException.class);
            assertThat(decodes(bytes)).as("the JDK agrees: " + bad).isFalse();
        }
    }

    @Test
    void agreesWithTheJdksStrictDecoderOnGeneratedBytesWhateverTheReadSizes() {
        var random = new SplittableRandom(20261128);
        // Bytes drawn mostly from lead and continuation bytes, where the interesting cases are.
        byte[] interesting = HEX.parseHex("41c0c1c2dfe0e1ecedeef0f1f3f4f5ff808f909fa0bf");
        for (int i = 0; i < 20_000; i++) {
            var bytes = new byte[random.nextInt(0, 9)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = random.nextInt(4) == 0
                        ? (byte) random.nextInt(256)
                        : interesting[random.nextInt(interesting.length)];
            }
            boolean checked;
            try {
                readAll(bytes, 1 + random.nextInt(4));
                checked = true;
            } catch (IOException e) {
                checked = false;
            }
            assertThat(checked).as(HEX.formatHex(bytes)).isEqualTo(decodes(bytes));
        }
    }

    private static byte[] readAll(byte[] bytes, int chunk) throws IOException {
        try (var in = new Utf8JsonBodies.CheckedUtf8(new ByteArrayInputStream(bytes))) {
            var out = new ByteArrayOutputStream();
            var buffer = new byte[chunk];
            for (int n; (n = in.read(buffer, 0, chunk)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static boolean decodes(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
