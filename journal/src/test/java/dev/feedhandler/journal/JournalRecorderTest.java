package dev.feedhandler.journal;

import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The recorder and the reader on real files: what is handed over is what is read back, byte for byte, with a
 * header that matches the frame; the full-ring policies block (and complete) or drop (and count).
 */
@Timeout(60)
class JournalRecorderTest
{
    private static final long EPOCH = 1_767_258_000_000_000_000L;

    @TempDir
    Path dir;

    record Stored(long index, String topic, byte[] payload, int kind, long epoch, long sequence, int updates,
        long sendNs, long journalNs, Origin origin, int flags)
    {
    }

    static List<Stored> readAll(final Path directory)
    {
        final List<Stored> stored = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(directory))
        {
            reader.read(e ->
            {
                stored.add(new Stored(e.index(), e.topic(), e.payloadBytes(), e.kindCode(), e.sessionEpoch(),
                    e.sequence(), e.updateCount(), e.sendTimestampNs(), e.journalTimestampNs(), e.origin(),
                    e.flags()));
                return true;
            });
        }
        return stored;
    }

    private static void record(final JournalRecorder recorder, final List<TestFrames.Frame> frames,
        final long journalNs)
    {
        for (int i = 0; i < frames.size(); i++)
        {
            final TestFrames.Frame frame = frames.get(i);
            recorder.record(frame.topic(), frame.topic().length, frame.buffer(), 0, frame.payload().length,
                journalNs + i);
        }
    }

    @Test
    void shouldReadBackEveryFrameByteForByteWithAHeaderThatMatchesTheFrame()
    {
        final List<TestFrames.Frame> frames = TestFrames.session(1, EPOCH, EPOCH + 1_000, 2_000);
        final JournalRecorder recorder = JournalRecorder.open(JournalConfiguration.defaults(dir), Origin.SENT,
            "journal").start();
        record(recorder, frames, 5_000);
        recorder.close();
        assertThat(recorder.written()).isEqualTo(frames.size());
        assertThat(recorder.dropped()).isZero();
        assertThat(recorder.failed()).isZero();
        // The metrics' figures: every entry's bytes, and an empty ring once everything is written.
        assertThat(recorder.bytesWritten()).isEqualTo(frames.stream()
            .mapToLong(f -> JournalEntry.HEADER_LENGTH + f.topic().length + f.payload().length).sum());
        assertThat(recorder.ringOccupancy()).isZero();
        assertThat(recorder.ringCapacity()).isEqualTo(JournalConfiguration.defaults(dir).ringBytes());

        final List<Stored> stored = readAll(dir);
        assertThat(stored).hasSize(frames.size());
        final FrameReader reader = new FrameReader();
        long lastIndex = Long.MIN_VALUE;
        for (int i = 0; i < frames.size(); i++)
        {
            final TestFrames.Frame frame = frames.get(i);
            final Stored entry = stored.get(i);
            assertThat(entry.topic()).isEqualTo(frame.topicText());
            assertThat(entry.payload()).isEqualTo(frame.payload());
            assertThat(entry.index()).isGreaterThan(lastIndex);
            lastIndex = entry.index();
            assertThat(entry.origin()).isEqualTo(Origin.SENT);
            assertThat(entry.journalNs()).isEqualTo(5_000 + i);

            final FrameKind kind = reader.read(new UnsafeBuffer(frame.payload()), 0, frame.payload().length);
            assertThat(entry.epoch()).isEqualTo(EPOCH);
            assertThat(entry.sendNs()).isEqualTo(reader.sendTimestampNs());
            switch (kind)
            {
                case BATCH:
                    assertThat(entry.kind()).isEqualTo(JournalEntry.KIND_BATCH);
                    assertThat(entry.sequence()).isEqualTo(reader.batchHeader().firstSequence());
                    assertThat(entry.updates()).isEqualTo(reader.batchHeader().updateCount());
                    break;
                case HEARTBEAT:
                    assertThat(entry.kind()).isEqualTo(JournalEntry.KIND_HEARTBEAT);
                    assertThat(entry.sequence()).isEqualTo(reader.heartbeat().lastSequence());
                    assertThat(entry.flags()).isEqualTo(1);
                    break;
                default:
                    assertThat(entry.kind()).isEqualTo(JournalEntry.KIND_SESSION_STATUS);
                    assertThat(entry.flags()).isEqualTo(i == 0 ? SessionState.ACTIVE.value() :
                        SessionState.ENDED.value());
            }
        }
    }

    @Test
    void shouldRecordAnInvalidFrameAsItCameWithKindInvalid()
    {
        final byte[] garbage = {1, 2, 3, 4, 5};
        try (JournalRecorder recorder = JournalRecorder.open(JournalConfiguration.defaults(dir), Origin.RECEIVED,
            "record").start())
        {
            recorder.record("EURUSD".getBytes(), 6, new UnsafeBuffer(garbage), 0, garbage.length, 42);
        }
        final List<Stored> stored = readAll(dir);
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).kind()).isEqualTo(JournalEntry.KIND_INVALID);
        assertThat(stored.get(0).payload()).isEqualTo(garbage);
        assertThat(stored.get(0).origin()).isEqualTo(Origin.RECEIVED);
    }

    @Test
    void shouldDropAndCountWhenTheRingIsFullUnderTheDropPolicy()
    {
        final JournalConfiguration configuration = JournalConfiguration.defaults(dir)
            .withRingBytes(JournalConfiguration.MIN_RING_BYTES);
        final List<TestFrames.Frame> frames = TestFrames.session(2, EPOCH, EPOCH, 3_000);
        final JournalConfiguration drop = new JournalConfiguration(dir, configuration.rollCycle(), 0,
            FullPolicy.DROP, configuration.ringBytes(), null);
        final long accepted;
        final List<TestFrames.Frame> keptFrames = new ArrayList<>();
        final JournalRecorder recorder = JournalRecorder.open(drop, Origin.SENT, "journal");
        try
        {
            // The journal thread is not started: the ring fills and what does not fit is dropped, never waited for.
            int kept = 0;
            for (final TestFrames.Frame frame : frames)
            {
                if (recorder.record(frame.topic(), frame.topic().length, frame.buffer(), 0, frame.payload().length,
                    1))
                {
                    keptFrames.add(frame);
                    kept++;
                }
            }
            assertThat(recorder.dropped()).isPositive().isEqualTo(frames.size() - kept);
            assertThat(recorder.waits()).isZero();
            accepted = kept;
            recorder.start();
            recorder.close();
            assertThat(recorder.written()).isEqualTo(accepted);
            assertThat(recorder.summary()).containsEntry("dropped", (long)frames.size() - kept);
        }
        finally
        {
            recorder.close();
        }
        final List<Stored> stored = readAll(dir);
        assertThat(stored).hasSize((int)accepted);
        for (int i = 0; i < accepted; i++)
        {
            assertThat(stored.get(i).payload()).isEqualTo(keptFrames.get(i).payload());
        }
    }

    @Test
    void shouldWaitForRoomUnderTheBlockPolicyAndLoseNothing() throws Exception
    {
        final JournalConfiguration configuration = JournalConfiguration.defaults(dir)
            .withRingBytes(JournalConfiguration.MIN_RING_BYTES);
        final List<TestFrames.Frame> frames = TestFrames.session(3, EPOCH, EPOCH, 3_000);
        final JournalRecorder recorder = JournalRecorder.open(configuration, Origin.SENT, "journal");
        final AtomicBoolean done = new AtomicBoolean();
        final CountDownLatch finished = new CountDownLatch(1);
        final Thread producer = new Thread(() ->
        {
            record(recorder, frames, 1);
            done.set(true);
            finished.countDown();
        });
        producer.start();
        // The journal thread is not running: the producer must be stuck waiting for room, not dropping.
        await().atMost(10, TimeUnit.SECONDS).until(() -> recorder.offered() > 0);
        await().during(300, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS).until(() -> !done.get());
        assertThat(recorder.offered()).isLessThan(frames.size());
        assertThat(producer.isAlive()).isTrue();
        recorder.start();
        assertThat(finished.await(20, TimeUnit.SECONDS)).isTrue();
        recorder.close();
        assertThat(recorder.dropped()).isZero();
        assertThat(recorder.waits()).isPositive();
        assertThat(recorder.written()).isEqualTo(frames.size());
        assertThat(recorder.lagMax()).isGreaterThan(1);
        final List<Stored> stored = readAll(dir);
        assertThat(stored).hasSize(frames.size());
        for (int i = 0; i < frames.size(); i++)
        {
            assertThat(stored.get(i).payload()).isEqualTo(frames.get(i).payload());
        }
    }
}
