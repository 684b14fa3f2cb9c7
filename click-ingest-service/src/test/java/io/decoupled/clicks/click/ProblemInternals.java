package io.decoupled.clicks.click;

/**
 * What no refusal of click-ingest may say to a client, checked by {@code ClickControllerTest} and
 * {@code ClickEndpointFuzzIT}: Java class names, Jackson's types and features, code quotes. A refusal quotes no value
 * of the body, only field names, so none of these can be a quote of the input.
 */
public final class ProblemInternals {
    public static final String[] WORDS = {
        "java.",
        "io.decoupled",
        "Exception",
        "JsonToken",
        "StreamReadFeature",
        "`",
        "Cannot construct",
        "Cannot deserialize"
    };

    private ProblemInternals() {}
}
