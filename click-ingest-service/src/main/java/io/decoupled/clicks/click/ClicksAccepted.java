package io.decoupled.clicks.click;

import java.util.List;

/**
 * The answer to {@code POST /clicks}: the ids given to the clicks, in request order, and whether they are
 * already on the stream ({@code written}) or only buffered.
 */
record ClicksAccepted(int accepted, List<ClickId> clickIds, boolean written) {}
