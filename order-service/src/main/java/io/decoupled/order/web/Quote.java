package io.decoupled.order.web;

/**
 * How an error detail quotes client input: at most a short prefix, with control characters and unpaired surrogates
 * escaped. A detail that echoed the whole input would let one request write megabytes, or terminal escapes, into
 * the client's (and any proxy's) logs.
 */
final class Quote {
    /** The longest piece of input a detail quotes. */
    static final int MAX_QUOTED = 40;

    private Quote() {}

    /** {@code 'value'}, or {@code 'prefix…' (n characters)} when longer than {@link #MAX_QUOTED}. */
    static String of(Object value) {
        var text = String.valueOf(value);
        if (text.length() <= MAX_QUOTED) {
            return "'" + escape(text) + "'";
        }
        return "'" + escape(text.substring(0, MAX_QUOTED)) + "…' (" + text.length() + " characters)";
    }

    /** The text cut to {@code max} characters, escaped. */
    static String prefix(String text, int max) {
        if (text == null) {
            return null;
        }
        return escape(text.length() <= max ? text : text.substring(0, max) + "…");
    }

    static String escape(String text) {
        var out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pairedSurrogate = Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pairedSurrogate) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
