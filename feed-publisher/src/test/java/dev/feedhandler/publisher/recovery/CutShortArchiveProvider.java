package dev.feedhandler.publisher.recovery;

import dev.feedhandler.journal.ArchiveUnavailableException;
import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.journal.JournalReader;
import dev.feedhandler.journal.RemoteJournal;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A journal copy off the host whose every lookup runs out of time after one batch, as a Kafka lookup of a long range
 * on a slow cluster: it hands out the batch of {@value #UPDATES} updates that starts at the first sequence asked for,
 * then throws {@link ArchiveUnavailableException} (kind {@value #KIND}, found through the service loader).
 */
public final class CutShortArchiveProvider extends LookupOnlyArchiveProvider
{
    static final String KIND = "cut-short";
    static final int UPDATES = 10;

    public CutShortArchiveProvider()
    {
        super(KIND);
    }

    @Override
    long seeksPerLookup()
    {
        return 2;
    }

    @Override
    boolean lookup(final RemoteJournal journal, final byte[] topic, final long sessionEpoch, final long fromSequence,
        final long toSequence, final JournalReader.EntryHandler handler)
    {
        handler.onEntry(batch(topic, sessionEpoch, fromSequence));
        throw new ArchiveUnavailableException(journal + ": looking up took more than 5000 ms; the batches found so " +
            "far were handed out", null);
    }

    /**
     * The batch a lookup hands out: its payload is the text {@code batch FROM}.
     *
     * @param topic        the instrument.
     * @param sessionEpoch the session.
     * @param from         its first sequence.
     * @return the journal entry.
     */
    static JournalEntry batch(final byte[] topic, final long sessionEpoch, final long from)
    {
        final byte[] payload = payload(from);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalEntry.HEADER_LENGTH + topic.length +
            payload.length]);
        buffer.putByte(0, (byte)JournalEntry.VERSION);
        buffer.putByte(1, (byte)JournalEntry.KIND_BATCH);
        buffer.putByte(3, (byte)topic.length);
        buffer.putInt(4, payload.length, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(8, sessionEpoch, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(16, from, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(40, (short)UPDATES, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(JournalEntry.HEADER_LENGTH, topic);
        buffer.putBytes(JournalEntry.HEADER_LENGTH + topic.length, payload);
        return new JournalEntry().wrap(buffer, 0, buffer.capacity(), from);
    }

    static byte[] payload(final long from)
    {
        return ("batch " + from).getBytes(StandardCharsets.US_ASCII);
    }
}
