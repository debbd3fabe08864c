package dev.feedhandler.common.metrics;

/**
 * The bound on per-topic metric labels. A feed may carry thousands of topics, and every label value is a time series
 * to Prometheus, so only the first {@value #MAX_TOPIC_LABELS} topics (in the order the process first saw them, which
 * for the publisher is instrument id order) get a series of their own; the updates of all later topics are added up
 * under {@code topic="_other"}. A topic's series never moves once created.
 */
public final class TopicLabels
{
    /** Topics with their own series. */
    public static final int MAX_TOPIC_LABELS = 50;

    /** The label value of the topics beyond the bound. */
    public static final String OTHER = "_other";

    private TopicLabels()
    {
    }
}
