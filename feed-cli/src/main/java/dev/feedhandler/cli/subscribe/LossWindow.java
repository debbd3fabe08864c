package dev.feedhandler.cli.subscribe;

import dev.feedhandler.subscriber.Topic;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the summary of {@code feed subscribe} reports of losses: when the feed was stale, the sessions that ended
 * without a word, and the ranges lost for good. Bounded: the first {@value #MAX_STALE_PERIODS} stale periods and
 * {@value #MAX_RANGES_PER_TOPIC} ranges per topic. Written on the listener thread, read once it has stopped.
 */
final class LossWindow
{
    private static final int MAX_RANGES_PER_TOPIC = 20;
    private static final int MAX_STALE_PERIODS = 100;

    private final List<Map<String, Object>> stalePeriods = new ArrayList<>();
    private final Map<String, Map<String, Object>> sessionsLost = new TreeMap<>();
    private final Map<String, List<String>> unrecoverableRanges = new TreeMap<>();
    private long staleSinceNs;

    /**
     * The feed went stale: a period opens.
     *
     * @param nowNs wall clock time, epoch nanoseconds.
     */
    void onStale(final long nowNs)
    {
        staleSinceNs = nowNs;
        if (stalePeriods.size() < MAX_STALE_PERIODS)
        {
            final Map<String, Object> period = new LinkedHashMap<>();
            period.put("from", Instant.ofEpochSecond(0, staleSinceNs).toString());
            period.put("to", null);
            period.put("seconds", null);
            stalePeriods.add(period);
        }
    }

    /**
     * The feed is live again: the open period, if any, closes.
     *
     * @param nowNs wall clock time, epoch nanoseconds.
     */
    void onLive(final long nowNs)
    {
        if (!stalePeriods.isEmpty() && stalePeriods.get(stalePeriods.size() - 1).get("to") == null)
        {
            final Map<String, Object> period = stalePeriods.get(stalePeriods.size() - 1);
            period.put("to", Instant.ofEpochSecond(0, nowNs).toString());
            period.put("seconds", Math.round((nowNs - staleSinceNs) / 1e6) / 1000.0);
        }
    }

    void onSessionLost(final Topic topic, final long sessionEpoch, final long lastSequence)
    {
        sessionsLost.computeIfAbsent(Long.toString(sessionEpoch), k -> new TreeMap<>())
            .put(topic.symbol(), lastSequence);
    }

    void onUnrecoverable(final Topic topic, final long fromSequence, final long toSequence)
    {
        final List<String> ranges = unrecoverableRanges.computeIfAbsent(topic.symbol(), k -> new ArrayList<>());
        if (ranges.size() < MAX_RANGES_PER_TOPIC)
        {
            ranges.add(fromSequence + ".." + toSequence);
        }
    }

    /**
     * The summary's loss window: stale periods, sessions lost (per topic, the last update delivered from them:
     * whatever came after it, if anything, is unknown) and unrecoverable ranges.
     */
    Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("stalePeriods", stalePeriods);
        map.put("sessionsLost", sessionsLost);
        map.put("unrecoverableRanges", unrecoverableRanges);
        return map;
    }
}
