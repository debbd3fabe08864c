package dev.feedhandler.publisher;

import dev.feedhandler.journal.JournalRecorder;
import dev.feedhandler.publisher.batch.SmartBatcher;
import dev.feedhandler.publisher.batch.TopicBatch;
import dev.feedhandler.publisher.source.PriceSource;
import dev.feedhandler.publisher.transport.XPubPublication;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session's part of the publisher's JSON summary: what was published (per topic too), how fast, how it was
 * batched, what the socket and the source say, and why the session ended. Cold path: once, at the end.
 */
final class PublisherSummary
{
    private PublisherSummary()
    {
    }

    /**
     * The session's figures, under the keys users' scripts read ({@code published}, {@code batches}, {@code topics},
     * {@code elapsedSeconds}, ...), in their order.
     *
     * @param agent        the publisher's duty cycle (times, stop reason, failure, measurement).
     * @param batcher      the batcher (updates, batches, flushes, topics).
     * @param publication  the feed socket.
     * @param source       the price source.
     * @param sessionEpoch the session.
     * @param line         the feed line it publishes, or null for a feed of its own.
     * @return an ordered map the publisher adds its parts' sections to.
     */
    static Map<String, Object> session(final PublisherAgent agent, final SmartBatcher batcher,
        final XPubPublication publication, final PriceSource source, final long sessionEpoch, final FeedLine line)
    {
        final Map<String, Object> topics = new LinkedHashMap<>();
        for (final TopicBatch topic : batcher.topics())
        {
            if (topic.publishedUpdates() > 0)
            {
                topics.put(topic.instrument().symbol(), topic.publishedUpdates());
            }
        }
        final double elapsedSeconds = Math.max(0, agent.endNs() - agent.startNs()) / 1e9;
        final FeedPublisher.StopReason stopReason = agent.stopReason();
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("published", batcher.publishedUpdates());
        summary.put("batches", batcher.publishedBatches());
        summary.put("topics", topics);
        summary.put("elapsedSeconds", Math.round(elapsedSeconds * 1000) / 1000.0);
        summary.put("updatesPerSecond",
            elapsedSeconds > 0 ? Math.round(batcher.publishedUpdates() / elapsedSeconds) : 0);
        summary.put("heartbeats", batcher.heartbeatsSent());
        summary.put("bytesSent", publication.bytesSent());
        summary.put("fullBatches", batcher.fullBatches());
        summary.put("lingerFlushes", batcher.lingerFlushes());
        summary.put("budgetFlushes", batcher.budgetFlushes());
        summary.put("overBudgetSeconds", agent.overBudgetSeconds());
        summary.put("lingerStretchedToMicros", batcher.linger().stretchedNanos() / 1_000);
        summary.put("batchesPerSecond",
            elapsedSeconds > 0 ? Math.round(batcher.publishedBatches() / elapsedSeconds) : 0);
        summary.put("updatesPerBatch", batcher.publishedBatches() > 0 ?
            Math.round(batcher.publishedUpdates() * 100.0 / batcher.publishedBatches()) / 100.0 : 0);
        summary.put("messages", publication.messagesSent());
        summary.put("messagesPerSecond",
            elapsedSeconds > 0 ? Math.round(publication.messagesSent() / elapsedSeconds) : 0);
        summary.put("envelopes", publication.envelopesSent());
        summary.put("sendRetries", publication.sendRetries());
        summary.put("unsentFrames", batcher.unsentFrames());
        summary.put("subscribers", publication.subscriberCount());
        summary.put("sessionEpoch", sessionEpoch);
        if (line != null)
        {
            summary.put("feedId", line.feedId());
            summary.put("line", line.line());
            summary.put("feedStart", Instant.ofEpochSecond(0, line.startEpochNs()).toString());
            summary.put("skippedUpdates", batcher.skippedUpdates());
        }
        summary.put("source", source.name());
        summary.putAll(source.statistics());
        summary.put("stopReason", stopReason == null ? "none" : stopReason.name().toLowerCase());
        if (agent.failure() != null)
        {
            summary.put("error", agent.failure());
        }
        return summary;
    }

    /**
     * The summary of a publisher stopped before it was built: the keys of {@link #session} (those of a feed of its
     * own) and of {@link FeedPublisher#summary()} that need no socket, in their order, every figure zero, and
     * stopReason stopped.
     *
     * @param source  the price source.
     * @param journal the journal opened for the publisher, or null.
     * @return an ordered map.
     */
    static Map<String, Object> beforeStart(final PriceSource source, final JournalRecorder journal)
    {
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("published", 0L);
        summary.put("batches", 0L);
        summary.put("topics", Map.of());
        summary.put("elapsedSeconds", 0.0);
        for (final String figure : List.of("updatesPerSecond", "heartbeats", "bytesSent", "fullBatches",
            "lingerFlushes", "budgetFlushes", "overBudgetSeconds", "lingerStretchedToMicros", "batchesPerSecond"))
        {
            summary.put(figure, 0L);
        }
        summary.put("updatesPerBatch", 0.0);
        summary.put("messages", 0L);
        summary.put("messagesPerSecond", 0L);
        summary.put("envelopes", 0L);
        summary.put("sendRetries", 0L);
        summary.put("unsentFrames", 0L);
        summary.put("subscribers", 0);
        summary.put("sessionEpoch", 0L);
        summary.put("source", source.name());
        summary.putAll(source.statistics());
        summary.put("stopReason", FeedPublisher.StopReason.STOPPED.name().toLowerCase());
        summary.put("endpoints", List.of());
        summary.put("measured", Map.of());
        if (journal != null)
        {
            summary.put("journal", journal.summary());
        }
        return summary;
    }

    /**
     * Puts a part of the summary that a publisher may not have.
     *
     * @param summary the summary.
     * @param key     the part's key.
     * @param value   the part, or null to leave the key out.
     */
    static void putPresent(final Map<String, Object> summary, final String key, final Object value)
    {
        if (value != null)
        {
            summary.put(key, value);
        }
    }
}
