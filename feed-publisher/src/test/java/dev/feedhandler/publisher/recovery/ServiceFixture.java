package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.socket.SocketSetup;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.journal.JournalRecorder;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.batch.Publication;
import dev.feedhandler.publisher.batch.SmartBatcher;
import dev.feedhandler.publisher.journal.JournalingPublication;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.source.SyntheticSource;
import dev.feedhandler.publisher.transport.IoThreadPolicy;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.zeromq.ZContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A recovery service fed by a real batcher over a seeded synthetic source, with every frame the "socket" got kept
 * for comparison.
 */
final class ServiceFixture implements AutoCloseable
{
    static final long EPOCH = 1_767_258_000_000_000_000L;

    /** A batch as sent. */
    record Sent(String topic, long first, int count, byte[] payload)
    {
        long last()
        {
            return first + count - 1;
        }
    }

    final ZContext context = new ZContext();
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final RecoveryPublication handoff;
    final RecoveryService service;
    private final RecoveryHandoff ring;
    final SmartBatcher batcher;
    private final SyntheticSource source;
    private long nowNs = System.nanoTime();

    ServiceFixture(final RecoveryConfiguration configuration, final int instruments, final int maxBatchUpdates)
    {
        this(configuration, instruments, maxBatchUpdates, EPOCH, null);
    }

    /**
     * A fixture whose frames are also journaled (the journal's decorator sits between the hand-off and the socket,
     * as in the publisher).
     */
    ServiceFixture(final RecoveryConfiguration configuration, final int instruments, final int maxBatchUpdates,
        final long epoch, final JournalRecorder journal)
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        source = new SyntheticSource(new SyntheticConfiguration(instruments, Long.MAX_VALUE, 5, 0.3, 0,
            Duration.ofSeconds(1), 0), registry, WallClock.shared());
        final FrameReader reader = new FrameReader();
        final Publication socket = (final byte[] topic, final DirectBuffer payload, final int offset,
            final int length) ->
        {
            final byte[] copy = new byte[length];
            payload.getBytes(offset, copy);
            if (reader.read(new UnsafeBuffer(copy), 0, length) == FrameKind.BATCH)
            {
                sent.add(new Sent(new String(topic, StandardCharsets.US_ASCII), reader.batchHeader().firstSequence(),
                    reader.batchHeader().updateCount(), copy));
            }
            return Publication.SENT;
        };
        ring = new RecoveryHandoff(configuration.ringBytes());
        handoff = new RecoveryPublication(journal == null ? socket :
            new JournalingPublication(socket, journal, WallClock.shared()), ring);
        service = new RecoveryService(configuration.withBind("tcp://127.0.0.1:*"), "tcp://127.0.0.1:*", context,
            IoThreadPolicy.DEFAULT, SocketSetup.NONE, ring, epoch).start();
        batcher = new SmartBatcher(new BatchConfiguration(maxBatchUpdates, 16384, 0), registry, handoff,
            WallClock.shared(), epoch);
    }

    ServiceFixture(final RecoveryConfiguration configuration)
    {
        this(configuration, 5, 8);
    }

    /**
     * Publishes updates through the batcher, flushing every few.
     */
    void publish(final int updates)
    {
        int done = 0;
        while (done < updates)
        {
            nowNs += 1_000;
            batcher.nowNs(nowNs);
            done += source.poll(batcher, Math.min(37, updates - done), nowNs);
            batcher.flushAll();
        }
    }

    void heartbeats()
    {
        nowNs += 10_000_000_000L;
        batcher.sendHeartbeats(nowNs, 1);
    }

    String endpoint()
    {
        return service.endpoint();
    }

    List<Sent> batches(final String topic)
    {
        final List<Sent> list = new ArrayList<>();
        for (final Sent batch : sent)
        {
            if (batch.topic().equals(topic))
            {
                list.add(batch);
            }
        }
        return list;
    }

    @Override
    public void close()
    {
        service.close();
        context.close();
    }
}
