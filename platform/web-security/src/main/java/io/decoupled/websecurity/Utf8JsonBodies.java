package io.decoupled.websecurity;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Pattern: strict reading at the edge, for the bytes under the JSON. Jackson decodes UTF-8 without checking that each
 * character is written in its shortest form, so {@code C0 AF} (an "overlong" slash) was read as {@code /}: a body
 * that a filter, a log search or a firewall reading the bytes sees one way was stored another ({@code "/\xC0\xAE\xC0\xAE/"}
 * became {@code "/../"}). RFC 3629 forbids decoding such forms, and encoded surrogates and code points past U+10FFFF
 * with them. Every JSON request body is checked as it is read; the first byte that is not well-formed UTF-8 ends the
 * read, and the service's problem handler answers 400 as for any unreadable body.
 *
 * <p>Every service that reads JSON bodies declares it as a bean beside {@link StrictJsonInput}.
 */
@ControllerAdvice
public final class Utf8JsonBodies extends RequestBodyAdviceAdapter {
    @Override
    public boolean supports(
            MethodParameter methodParameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(
            HttpInputMessage input,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType)
            throws IOException {
        var type = input.getHeaders().getContentType();
        if (type == null
                || !(type.isCompatibleWith(MediaType.APPLICATION_JSON)
                        || type.getSubtype().endsWith("+json"))
                || (type.getCharset() != null && !StandardCharsets.UTF_8.equals(type.getCharset()))) {
            return input;
        }
        var body = new CheckedUtf8(input.getBody());
        var headers = input.getHeaders();
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return body;
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }

    /** The first byte of a body that is not well-formed UTF-8. */
    static final class NotUtf8 extends CharacterCodingException {
        private static final long serialVersionUID = 1L;
        private final long offset;

        NotUtf8(long offset) {
            this.offset = offset;
        }

        @Override
        public String getMessage() {
            return "the body is not well-formed UTF-8 at byte " + offset;
        }
    }

    /**
     * Passes bytes through unchanged and fails at the first one that is not well-formed UTF-8 (RFC 3629, table 3-7 of
     * the Unicode standard): no C0, C1 or F5-FF lead byte, no overlong form, no surrogate, nothing past U+10FFFF, no
     * sequence cut short by the end of the body.
     */
    static final class CheckedUtf8 extends FilterInputStream {
        /** Continuation bytes the current sequence still needs. */
        private int pending;
        /** Range the next continuation byte must be in (narrower after E0, ED, F0, F4). */
        private int low = 0x80;

        private int high = 0xBF;
        private long offset;

        CheckedUtf8(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                ended();
            } else {
                check(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int from, int length) throws IOException {
            int n = super.read(buffer, from, length);
            if (n < 0) {
                ended();
            }
            for (int i = 0; i < n; i++) {
                check(buffer[from + i] & 0xFF);
            }
            return n;
        }

        @Override
        public long skip(long count) throws IOException {
            // Skipped bytes are checked too: read and drop them.
            var scratch = new byte[(int) Math.min(count, 8192)];
            long skipped = 0;
            while (skipped < count) {
                int n = read(scratch, 0, (int) Math.min(scratch.length, count - skipped));
                if (n < 0) {
                    break;
                }
                skipped += n;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public synchronized void mark(int limit) {
            // Not supported: a reset would check bytes twice.
        }

        @Override
        public synchronized void reset() throws IOException {
            throw new IOException("mark/reset not supported");
        }

        private void ended() throws NotUtf8 {
            if (pending > 0) {
                throw new NotUtf8(offset);
            }
        }

        private void check(int b) throws NotUtf8 {
            if (pending > 0) {
                if (b < low || b > high) {
                    throw new NotUtf8(offset);
                }
                low = 0x80;
                high = 0xBF;
                pending--;
            } else if (b >= 0x80) {
                start(b);
            }
            offset++;
        }

        private void start(int lead) throws NotUtf8 {
            if (lead >= 0xC2 && lead <= 0xDF) {
                pending = 1;
            } else if (lead == 0xE0) {
                pending = 2;
                low = 0xA0; // E0 80..9F would be overlong
            } else if (lead == 0xED) {
                pending = 2;
                high = 0x9F; // ED A0..BF would be a surrogate
            } else if (lead >= 0xE1 && lead <= 0xEF) {
                pending = 2;
            } else if (lead == 0xF0) {
                pending = 3;
                low = 0x90; // F0 80..8F would be overlong
            } else if (lead == 0xF4) {
                pending = 3;
                high = 0x8F; // F4 90.. would be past U+10FFFF
            } else if (lead >= 0xF1 && lead <= 0xF3) {
                pending = 3;
            } else {
                // 80..BF without a lead, C0 and C1 (always overlong), F5..FF (past U+10FFFF)
                throw new NotUtf8(offset);
            }
        }
    }
}
