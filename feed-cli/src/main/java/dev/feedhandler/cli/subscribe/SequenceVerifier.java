package dev.feedhandler.cli.subscribe;

import dev.feedhandler.subscriber.Topic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code feed subscribe --verify}: checks, on the listener thread as updates arrive, that each topic's updates come
 * exactly once and in order: every update is the one after the previous, within a session, except right after a
 * snapshot (the topic goes on from the snapshot's sequence number) or a loss reported unrecoverable (it goes on after
 * the loss); a new session starts at 1 unless one of those says otherwise. Violations are counted and the first ten
 * described. With conflation, updates merged into a later one are never delivered: each topic's updates must then
 * come in order and never twice, but may skip ahead. Listener thread only; read once it has stopped.
 */
final class SequenceVerifier
{
    private static final int FIRST_VIOLATIONS = 10;

    private long[] epochs = new long[64];
    private long[] expected = new long[64];
    private long[] gapFrom = new long[64];
    private long[] gapTo = new long[64];
    private long checked;
    private long violations;
    private final List<String> first = new ArrayList<>();
    private final boolean conflating;

    SequenceVerifier()
    {
        this(false);
    }

    /**
     * A verifier for a conflating subscriber (updates may skip ahead) or not.
     */
    SequenceVerifier(final boolean conflating)
    {
        this.conflating = conflating;
    }

    private int slot(final Topic topic)
    {
        final int id = topic.id();
        if (id >= expected.length)
        {
            final int capacity = Math.max(id + 1, expected.length * 2);
            epochs = Arrays.copyOf(epochs, capacity);
            expected = Arrays.copyOf(expected, capacity);
            gapFrom = Arrays.copyOf(gapFrom, capacity);
            gapTo = Arrays.copyOf(gapTo, capacity);
        }
        return id;
    }

    void onBatchStart(final Topic topic, final long epoch)
    {
        final int id = slot(topic);
        if (epoch != epochs[id])
        {
            epochs[id] = epoch;
            expected[id] = 1;
        }
        applyLoss(topic, id);
    }

    /**
     * A loss reported before the batch that follows it: it must start where the topic was.
     */
    private void applyLoss(final Topic topic, final int id)
    {
        if (gapTo[id] != 0)
        {
            if (gapFrom[id] != expected[id])
            {
                violation(topic, "a loss reported from " + gapFrom[id] + " while " + expected[id] + " was next");
            }
            expected[id] = gapTo[id] + 1;
            gapTo[id] = 0;
        }
    }

    void onUpdate(final Topic topic, final long sequence)
    {
        final int id = slot(topic);
        checked++;
        if (sequence < expected[id] || (sequence != expected[id] && !conflating))
        {
            violation(topic, (sequence < expected[id] ? "again: " : "out of order: ") + sequence + " where " +
                expected[id] + " was next (session " + epochs[id] + ")");
        }
        expected[id] = sequence + 1;
    }

    void onUnrecoverable(final Topic topic, final long from, final long to)
    {
        final int id = slot(topic);
        if (gapTo[id] != 0 && from == gapTo[id] + 1)
        {
            // Losses reported one after the other (a catch-up stream that the window kept moving away from).
            gapTo[id] = to;
            return;
        }
        applyLoss(topic, id);
        gapFrom[id] = from;
        gapTo[id] = to;
    }

    void onSnapshot(final Topic topic, final long epoch, final long lastSequence)
    {
        final int id = slot(topic);
        epochs[id] = epoch;
        expected[id] = lastSequence + 1;
        gapTo[id] = 0;
    }

    void onSessionLost(final Topic topic, final long epoch, final long lastSequence)
    {
        final int id = slot(topic);
        if (epochs[id] != epoch || expected[id] != lastSequence + 1)
        {
            violation(topic, "session " + epoch + " lost after " + lastSequence + " while " + expected[id] +
                " of session " + epochs[id] + " was next");
        }
    }

    private void violation(final Topic topic, final String what)
    {
        violations++;
        if (first.size() < FIRST_VIOLATIONS)
        {
            first.add(topic.symbol() + ": " + what);
        }
    }

    long violations()
    {
        return violations;
    }

    /**
     * The {@code verify} object of the summary.
     */
    Map<String, Object> summary()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("checkedUpdates", checked);
        map.put("violations", violations);
        map.put("firstViolations", new ArrayList<>(first));
        return map;
    }
}
