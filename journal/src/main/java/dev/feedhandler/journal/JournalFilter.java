package dev.feedhandler.journal;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which entries a reader hands out: an index range and a journal-time range (both inclusive), and topic prefixes.
 * Entries on the control topic pass the topic filter (they belong to every subscription, as on the wire).
 *
 * @param fromIndex  first index, {@link Long#MIN_VALUE} for the start.
 * @param toIndex    last index, {@link Long#MAX_VALUE} for the end.
 * @param fromTimeNs earliest journal timestamp, epoch ns.
 * @param toTimeNs   latest journal timestamp, epoch ns.
 * @param prefixes   topic prefixes; empty for all topics.
 */
public record JournalFilter(long fromIndex, long toIndex, long fromTimeNs, long toTimeNs, List<String> prefixes)
{
    /** Every entry. */
    public static final JournalFilter ALL =
        new JournalFilter(Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, List.of());

    /**
     * Copies the prefixes.
     */
    public JournalFilter
    {
        prefixes = List.copyOf(prefixes);
    }

    /**
     * Whether an entry passes.
     *
     * @param entry the entry.
     * @param prefixBytes {@link #prefixBytes()}, computed once.
     * @return true if it passes.
     */
    public boolean matches(final JournalEntry entry, final byte[][] prefixBytes)
    {
        final long index = entry.index();
        if (index < fromIndex || index > toIndex)
        {
            return false;
        }
        final long time = entry.journalTimestampNs();
        if (time < fromTimeNs || time > toTimeNs)
        {
            return false;
        }
        if (prefixBytes.length == 0 || entry.isControlTopic())
        {
            return true;
        }
        for (final byte[] prefix : prefixBytes)
        {
            if (entry.topicStartsWith(prefix))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The prefixes as bytes.
     *
     * @return one array per prefix.
     */
    public byte[][] prefixBytes()
    {
        final byte[][] bytes = new byte[prefixes.size()][];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = prefixes.get(i).getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
