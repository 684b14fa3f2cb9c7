package io.decoupled.clicks.click;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Pattern: bounded request body. A body longer than {@code clicks.max-body-size} is refused before it is
 * parsed: by its Content-Length when it declares one, otherwise (chunked) as soon as the reader passes the
 * limit. Without it one request could make the service parse, validate and hold megabytes of JSON in memory.
 * The refusal surfaces as {@link BodyTooLargeException}, which {@link ClickProblems} answers with 413.
 */
@ControllerAdvice
class RequestBodyLimit extends RequestBodyAdviceAdapter {
    private final long maxBytes;

    RequestBodyLimit(ClickProperties properties) {
        this.maxBytes = properties.maxBodySize().toBytes();
    }

    @Override
    public boolean supports(
            MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(
            HttpInputMessage input,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType)
            throws IOException {
        long declared = input.getHeaders().getContentLength();
        if (declared > maxBytes) {
            throw new BodyTooLargeException(maxBytes);
        }
        var limited = new Limited(input.getBody(), maxBytes);
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return limited;
            }

            @Override
            public HttpHeaders getHeaders() {
                return input.getHeaders();
            }
        };
    }

    /** Thrown while reading a body longer than the limit; an IOException so that readers pass it on as the cause. */
    static final class BodyTooLargeException extends IOException {
        private final long maxBytes;

        BodyTooLargeException(long maxBytes) {
            super("the request body is larger than " + maxBytes + " bytes");
            this.maxBytes = maxBytes;
        }

        long maxBytes() {
            return maxBytes;
        }
    }

    private static final class Limited extends FilterInputStream {
        private final long max;
        private long read;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws BodyTooLargeException {
            read += n;
            if (read > max) {
                throw new BodyTooLargeException(max);
            }
        }
    }
}
