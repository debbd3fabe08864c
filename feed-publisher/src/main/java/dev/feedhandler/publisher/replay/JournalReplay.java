package dev.feedhandler.publisher.replay;

import dev.feedhandler.common.codec.BatchHeaderDecoder;
import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.BatchWriter;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.journal.JournalFilter;
import dev.feedhandler.journal.JournalSource;
import dev.feedhandler.publisher.batch.Publication;
import dev.feedhandler.publisher.source.ReplaySpeed;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Re-publishes a journal's frames, in journal order, at the recorded pace, N times faster, or flat out, so that an
 * ordinary subscriber consumes the replay exactly as it would the live feed: the same topics, batches, sequence
 * numbers and session epochs. Each batch goes out with the {@code replay} flag set and a fresh send timestamp
 * (so latency is measured from the replay's send); heartbeats and session statuses go out byte for byte. If the
 * last session replayed did not end in the journal (its publisher was killed, or {@code --to} cut it), a final
 * ENDED session status is sent for it, so subscribers know the replay is over.
 */
public final class JournalReplay
{
    /** Wait between offers of a frame the socket refused ({@code --backpressure block}): no spinning. */
    private static final long BACK_PRESSURE_PARK_NS = 100_000;
    private static final int POLL_EVERY = 256;

    private final JournalSource reader;
    private final JournalFilter filter;
    private final Publication publication;
    private final Runnable housekeeping;
    private final double speed;
    private final ReplayPacer pacer;
    private final WallClock clock;
    private final BooleanSupplier running;
    private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(64 * 1024);
    private final UnsafeBuffer statusBuffer = new UnsafeBuffer(new byte[WireFormat.SESSION_STATUS_LENGTH]);
    private final Map<String, Long> topics = new TreeMap<>();

    private long startNs;
    private long entries;
    private long batches;
    private long updates;
    private long heartbeats;
    private long statuses;
    private long lastEpoch;
    private boolean lastEpochEnded = true;
    private long elapsedNs;
    private boolean stopped;
    private ReplayProgress progress = new ReplayProgress();

    /**
     * A replay.
     *
     * @param reader       the journal (or its copy in Kafka).
     * @param filter       which entries.
     * @param publication  where frames go.
     * @param housekeeping run every few hundred frames (reads subscriptions), or a no-op.
     * @param speed        1 for the recorded pace, N for N times faster (within {@link ReplaySpeed}'s bounds), 0 (or
     *                     infinity) for flat out.
     * @param clock        epoch clock for fresh send timestamps.
     * @param running      stops the replay when it turns false.
     * @throws IllegalArgumentException if the speed is out of bounds.
     */
    public JournalReplay(final JournalSource reader, final JournalFilter filter, final Publication publication,
        final Runnable housekeeping, final double speed, final WallClock clock, final BooleanSupplier running)
    {
        this.reader = reader;
        this.filter = filter;
        this.publication = publication;
        this.housekeeping = housekeeping;
        this.pacer = new ReplayPacer(speed, running, housekeeping);
        this.speed = Double.isInfinite(speed) ? 0 : speed;
        this.clock = clock;
        this.running = running;
    }

    /**
     * Reports the replay's progress there as it goes (for metrics and status lines).
     *
     * @param replayProgress where to count.
     * @return this.
     */
    public JournalReplay progress(final ReplayProgress replayProgress)
    {
        this.progress = replayProgress;
        return this;
    }

    /**
     * Replays to the end of the journal (or of the filter), or until stopped.
     *
     * @return true if it reached the end, false if stopped.
     */
    public boolean run()
    {
        startNs = System.nanoTime();
        reader.read(filter, this::onEntry);
        if (!lastEpochEnded && lastEpoch != 0)
        {
            final int length = new ControlWriter().sessionStatus(statusBuffer, 0, lastEpoch, clock.nanoTime(),
                updates, batches, topics.size(), SessionState.ENDED);
            send(WireFormat.CONTROL_TOPIC_BYTES, statusBuffer, length);
        }
        elapsedNs = System.nanoTime() - startNs;
        return !stopped;
    }

    private boolean onEntry(final JournalEntry entry)
    {
        if (!running.getAsBoolean())
        {
            stopped = true;
            return false;
        }
        if (entry.kindCode() == JournalEntry.KIND_INVALID)
        {
            return true;
        }
        if (entries == 0 && pacer.paced())
        {
            // A paced replay's elapsed time counts from its first entry, where its pace starts.
            startNs = System.nanoTime();
        }
        pacer.awaitDue(entry.journalTimestampNs());
        final int length = entry.payloadLength();
        entry.buffer().getBytes(entry.payloadOffset(), frame, 0, length);
        final byte[] topic = entry.topicBytes();
        switch (entry.kindCode())
        {
            case JournalEntry.KIND_BATCH:
                final int flagsOffset = WireFormat.HEADER_LENGTH + BatchHeaderDecoder.flagsEncodingOffset();
                frame.putByte(flagsOffset, (byte)(frame.getByte(flagsOffset) | 1));
                BatchWriter.sendTimestampNs(frame, 0, clock.nanoTime());
                batches++;
                updates += entry.updateCount();
                topics.merge(entry.topic(), (long)entry.updateCount(), Long::sum);
                break;
            case JournalEntry.KIND_HEARTBEAT:
                heartbeats++;
                break;
            default:
                statuses++;
                break;
        }
        if (entry.sessionEpoch() != lastEpoch)
        {
            lastEpoch = entry.sessionEpoch();
            lastEpochEnded = false;
        }
        if (entry.kindCode() == JournalEntry.KIND_SESSION_STATUS)
        {
            lastEpochEnded = entry.flags() == SessionState.ENDED.value();
        }
        if (!send(topic, frame, length))
        {
            stopped = true;
            return false;
        }
        progress.onEntry(entry.kindCode() == JournalEntry.KIND_BATCH ? entry.updateCount() : 0);
        if (++entries % POLL_EVERY == 0)
        {
            housekeeping.run();
        }
        return true;
    }

    /**
     * Offers a frame until the socket takes it: with {@code --backpressure block} a full subscriber queue makes the
     * replay wait (reading subscriptions meanwhile), as a slow subscriber slows a live feed.
     *
     * @return false if the frame did not go because the replay was stopped or the socket closed.
     */
    private boolean send(final byte[] topic, final DirectBuffer buffer, final int length)
    {
        int result;
        while ((result = publication.send(topic, buffer, 0, length)) == Publication.BACK_PRESSURED)
        {
            if (!running.getAsBoolean())
            {
                return false;
            }
            housekeeping.run();
            LockSupport.parkNanos(BACK_PRESSURE_PARK_NS);
        }
        return result == Publication.SENT;
    }

    /**
     * The summary of a replay stopped before it ran (a signal during its process's start-up): the keys of
     * {@link #summary()}, every figure zero, and {@code stopReason} {@code stopped}.
     *
     * @param speed the replay's speed, as for the constructor.
     * @return an ordered map for the JSON writer.
     */
    public static Map<String, Object> summaryBeforeStart(final double speed)
    {
        final Map<String, Object> summary = new JournalReplay(null, null, null, () ->
        {
        }, speed, null, () -> false).summary();
        summary.put("stopReason", "stopped");
        return summary;
    }

    /**
     * The summary: {@code published} (updates), {@code batches}, {@code heartbeats}, {@code sessionStatuses},
     * {@code entries}, {@code topics} (symbol to updates), {@code elapsedSeconds}, {@code updatesPerSecond}.
     *
     * @return an ordered map for the JSON writer.
     */
    public Map<String, Object> summary()
    {
        final double seconds = elapsedNs / 1e9;
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("published", updates);
        map.put("batches", batches);
        map.put("topics", new LinkedHashMap<>(topics));
        map.put("elapsedSeconds", Math.round(seconds * 1000) / 1000.0);
        map.put("updatesPerSecond", seconds > 0 ? Math.round(updates / seconds) : 0);
        map.put("heartbeats", heartbeats);
        map.put("sessionStatuses", statuses);
        map.put("entries", entries);
        map.put("speed", speed <= 0 ? "max" : speed);
        map.put("stopReason", stopped ? "stopped" : "end");
        return map;
    }
}
