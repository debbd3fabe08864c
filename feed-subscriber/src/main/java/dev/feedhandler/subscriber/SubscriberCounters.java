package dev.feedhandler.subscriber;

import dev.feedhandler.common.counters.CounterTypes;
import dev.feedhandler.common.counters.ProcessCounters;
import dev.feedhandler.common.counters.TopicCounters;
import dev.feedhandler.common.metrics.TopicLabels;
import dev.feedhandler.common.wire.DecodeError;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The subscriber's counters: Agrona {@link AtomicCounter}s in the process's {@link ProcessCounters} (a counters file
 * that {@code feed stat} reads, or memory), each in a 128-byte slot of its own and written by one thread only (the
 * receiver or the listener thread) with an ordered store, without locks or allocation; read from any thread. The
 * first {@link TopicLabels#MAX_TOPIC_LABELS} topics get a counter each, later ones share one.
 */
public final class SubscriberCounters
{
    private final ProcessCounters process;
    private final AtomicCounter batchesReceived;
    private final AtomicCounter updatesReceived;
    private final AtomicCounter bytesReceived;
    private final AtomicCounter updatesDelivered;
    private final AtomicCounter gapsDetected;
    private final AtomicCounter updatesLost;
    private final AtomicCounter duplicateUpdates;
    private final AtomicCounter heartbeats;
    private final AtomicCounter ringFull;
    private final AtomicCounter listenerErrors;
    private final AtomicCounter staleEpochDrops;
    private final AtomicCounter epochChanges;
    private final AtomicCounter sessionEnds;
    private final AtomicCounter reconnects;
    private final AtomicCounter staleEvents;
    private final AtomicCounter receiverErrors;
    private final AtomicCounter[] decodeErrors = new AtomicCounter[DecodeError.count()];
    private final TopicCounters topicUpdates;
    private final GapRecoveryCounters recovery;
    private final CatchUpCounters catchUp;
    private final ConflationCounters conflation;

    /**
     * Counters in memory (a test, a benchmark).
     */
    public SubscriberCounters()
    {
        this(ProcessCounters.inMemory("subscribe"));
    }

    /**
     * Counters in the process's counters.
     *
     * @param process where the counters live.
     */
    public SubscriberCounters(final ProcessCounters process)
    {
        this.process = process;
        batchesReceived = counter("batches received");
        updatesReceived = counter("updates received");
        bytesReceived = counter("bytes received");
        updatesDelivered = counter("updates delivered");
        gapsDetected = counter("gaps detected");
        updatesLost = counter("updates lost");
        duplicateUpdates = counter("duplicate updates");
        heartbeats = counter("heartbeats received");
        ringFull = counter("ring full");
        listenerErrors = process.newCounter(CounterTypes.ERRORS, "errors: listener threw");
        staleEpochDrops = counter("stale epoch drops");
        epochChanges = counter("epoch changes");
        sessionEnds = counter("session ends");
        reconnects = counter("reconnects");
        recovery = new GapRecoveryCounters(process);
        staleEvents = counter("stale events");
        catchUp = new CatchUpCounters(process);
        receiverErrors = process.newCounter(CounterTypes.ERRORS, "errors: receiver thread");
        for (int i = 0; i < decodeErrors.length; i++)
        {
            decodeErrors[i] = process.newCounter(CounterTypes.DECODE_ERRORS,
                "decode errors: " + DecodeError.get(i).name().toLowerCase(Locale.ROOT));
        }
        topicUpdates = new TopicCounters(process, CounterTypes.SUBSCRIBER_TOPIC, "topic updates received: ");
        conflation = new ConflationCounters(process);
    }

    private AtomicCounter counter(final String label)
    {
        return process.newCounter(CounterTypes.SUBSCRIBER, label);
    }

    /**
     * The recovery figures: updates recovered and reported lost, recoveries started and failed, snapshots, sessions
     * lost, recoveries given up.
     *
     * @return the recovery counters.
     */
    public GapRecoveryCounters recovery()
    {
        return recovery;
    }

    /**
     * The catch-up figures: topics switched to a stream, what the streams brought, how long it took.
     *
     * @return the catch-up counters.
     */
    public CatchUpCounters catchUp()
    {
        return catchUp;
    }

    /**
     * The conflation figures: updates merged for a conflating listener, trades dropped past its bound.
     *
     * @return the conflation counters.
     */
    public ConflationCounters conflation()
    {
        return conflation;
    }

    /**
     * Where the counters live, for the error handlers of the subscriber's threads.
     *
     * @return the process's counters.
     */
    public ProcessCounters process()
    {
        return process;
    }

    /**
     * The counter of the listener's exceptions (written by the listener thread's error handler).
     *
     * @return the counter.
     */
    public AtomicCounter listenerErrorCounter()
    {
        return listenerErrors;
    }

    /**
     * The counter of the receiver thread's errors (written by its error handler).
     *
     * @return the counter.
     */
    public AtomicCounter receiverErrorCounter()
    {
        return receiverErrors;
    }

    /**
     * Receiver thread: a batch arrived with this many updates and bytes.
     *
     * @param updates updates in the batch.
     * @param bytes   payload bytes.
     */
    public void onBatchReceived(final int updates, final int bytes)
    {
        batchesReceived.incrementRelease();
        updatesReceived.getAndAddRelease(updates);
        bytesReceived.getAndAddRelease(bytes);
    }

    /**
     * Receiver thread: a batch of a topic arrived with this many updates (per-topic counts for metrics). A topic's
     * first batch allocates its counter (the first {@link TopicLabels#MAX_TOPIC_LABELS} topics).
     *
     * @param topic   the topic.
     * @param updates updates in the batch.
     */
    public void onTopicUpdates(final Topic topic, final int updates)
    {
        topicUpdates.counter(topic.id(), topic.symbol()).getAndAddRelease(updates);
    }

    /**
     * Updates received on one of the first {@link TopicLabels#MAX_TOPIC_LABELS} topics in valid batches, duplicates
     * included. Safe from any thread.
     *
     * @param topicId the topic's dense id ({@link Topic#id()}).
     * @return the count; 0 for a topic not seen, or beyond the first {@link TopicLabels#MAX_TOPIC_LABELS} (see
     *         {@link #otherTopicUpdates()}).
     */
    public long topicUpdates(final int topicId)
    {
        return topicUpdates.get(topicId);
    }

    /**
     * Updates received on all the topics beyond the first {@link TopicLabels#MAX_TOPIC_LABELS}, together.
     *
     * @return the count.
     */
    public long otherTopicUpdates()
    {
        return topicUpdates.other().get();
    }

    /**
     * Receiver thread: a gap of this many updates was detected.
     *
     * @param updates missing updates.
     */
    public void onGap(final long updates)
    {
        gapsDetected.incrementRelease();
        updatesLost.getAndAddRelease(updates);
    }

    /**
     * Receiver thread: updates already delivered arrived again and were dropped.
     *
     * @param updates the duplicates.
     */
    public void onDuplicates(final long updates)
    {
        duplicateUpdates.getAndAddRelease(updates);
    }

    /**
     * Receiver thread: a heartbeat arrived.
     */
    public void onHeartbeat()
    {
        heartbeats.incrementRelease();
    }

    /**
     * Receiver thread: the ring was full and the receiver had to wait for the listener.
     */
    public void onRingFull()
    {
        ringFull.incrementRelease();
    }

    /**
     * Receiver thread: a message was malformed and skipped.
     *
     * @param error why.
     */
    public void onDecodeError(final DecodeError error)
    {
        decodeErrors[error.ordinal()].incrementRelease();
    }

    /**
     * Receiver thread: a batch of an older publisher session arrived after a newer one and was dropped.
     */
    public void onStaleEpoch()
    {
        staleEpochDrops.incrementRelease();
    }

    /**
     * Receiver thread: a topic moved to a new publisher session.
     */
    public void onEpochChange()
    {
        epochChanges.incrementRelease();
    }

    /**
     * Receiver thread: the socket was replaced because a connection did not complete its handshake.
     */
    public void onReconnect()
    {
        reconnects.incrementRelease();
    }

    /**
     * Receiver thread: the feed went stale.
     */
    public void onStale()
    {
        staleEvents.incrementRelease();
    }

    /**
     * Listener thread: updates were handed to the listener.
     *
     * @param updates how many.
     */
    public void onDelivered(final int updates)
    {
        updatesDelivered.getAndAddRelease(updates);
    }

    /**
     * Listener thread: the publisher ended its session.
     */
    public void onSessionEnd()
    {
        sessionEnds.incrementRelease();
    }

    /**
     * Valid batches received.
     *
     * @return the count.
     */
    public long batchesReceived()
    {
        return batchesReceived.get();
    }

    /**
     * Updates received in valid batches, duplicates included.
     *
     * @return the count.
     */
    public long updatesReceived()
    {
        return updatesReceived.get();
    }

    /**
     * Updates handed to the listener.
     *
     * @return the count.
     */
    public long updatesDelivered()
    {
        return updatesDelivered.get();
    }

    /**
     * Gaps detected (sequence jumps, heartbeats ahead).
     *
     * @return the count.
     */
    public long gapsDetected()
    {
        return gapsDetected.get();
    }

    /**
     * Updates missing in all gaps.
     *
     * @return the count.
     */
    public long updatesLost()
    {
        return updatesLost.get();
    }

    /**
     * Duplicate updates dropped.
     *
     * @return the count.
     */
    public long duplicateUpdates()
    {
        return duplicateUpdates.get();
    }

    /**
     * Heartbeats received.
     *
     * @return the count.
     */
    public long heartbeats()
    {
        return heartbeats.get();
    }

    /**
     * Times the receiver found the ring full.
     *
     * @return the count.
     */
    public long ringFull()
    {
        return ringFull.get();
    }

    /**
     * Exceptions thrown by the listener.
     *
     * @return the count.
     */
    public long listenerErrors()
    {
        return listenerErrors.get();
    }

    /**
     * Batches of an older session dropped.
     *
     * @return the count.
     */
    public long staleEpochDrops()
    {
        return staleEpochDrops.get();
    }

    /**
     * Topic moves to a new publisher session.
     *
     * @return the count.
     */
    public long epochChanges()
    {
        return epochChanges.get();
    }

    /**
     * Session ends announced by publishers.
     *
     * @return the count.
     */
    public long sessionEnds()
    {
        return sessionEnds.get();
    }

    /**
     * Times the socket was replaced because a connection stalled in its handshake.
     *
     * @return the count.
     */
    public long reconnects()
    {
        return reconnects.get();
    }

    /**
     * Times the feed went stale (nothing for three heartbeat intervals).
     *
     * @return the count.
     */
    public long staleEvents()
    {
        return staleEvents.get();
    }

    /**
     * Payload bytes of valid batches.
     *
     * @return the count.
     */
    public long bytesReceived()
    {
        return bytesReceived.get();
    }

    /**
     * Malformed messages of one kind.
     *
     * @param error the kind.
     * @return the count.
     */
    public long decodeErrors(final DecodeError error)
    {
        return decodeErrors[error.ordinal()].get();
    }

    /**
     * Malformed messages of all kinds.
     *
     * @return the count.
     */
    public long decodeErrors()
    {
        long total = 0;
        for (int i = 0; i < DecodeError.count(); i++)
        {
            total += decodeErrors[i].get();
        }
        return total;
    }

    /**
     * The non-zero decode error counts by kind (cold path).
     *
     * @return kind name to count.
     */
    public Map<String, Long> decodeErrorsByKind()
    {
        final Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < DecodeError.count(); i++)
        {
            final long value = decodeErrors[i].get();
            if (value > 0)
            {
                map.put(DecodeError.get(i).name(), value);
            }
        }
        return map;
    }
}
