package dev.feedhandler.cli;

import dev.feedhandler.common.codec.BatchHeaderDecoder;
import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.common.codec.TradeDecoder;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.UpdateCursor;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.journal.JournalReader;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a journal holds, read back for assertions: each entry's header fields and bytes, and the updates
 * decoded per topic in the format of {@link UpdateRecorder} and {@link ExpectedFeed}.
 */
final class JournalContents
{
    /** Offset of the send timestamp in a batch payload. */
    static final int SEND_TIMESTAMP_OFFSET =
        WireFormat.HEADER_LENGTH + BatchHeaderDecoder.sendTimestampNsEncodingOffset();
    /** Offset of the flags in a batch payload. */
    static final int FLAGS_OFFSET = WireFormat.HEADER_LENGTH + BatchHeaderDecoder.flagsEncodingOffset();

    record Entry(String topic, byte[] payload, int kind, long epoch, long sequence, int updates, int flags)
    {
        /** The payload with the send timestamp and flags zeroed: what a replay must not change. */
        List<Byte> withoutSendTimeAndFlags()
        {
            final byte[] copy = payload.clone();
            if (kind == JournalEntry.KIND_BATCH)
            {
                Arrays.fill(copy, SEND_TIMESTAMP_OFFSET, SEND_TIMESTAMP_OFFSET + 8, (byte)0);
                copy[FLAGS_OFFSET] = 0;
            }
            final List<Byte> list = new ArrayList<>(copy.length);
            for (final byte b : copy)
            {
                list.add(b);
            }
            return list;
        }

        String key()
        {
            return topic.replace("\0", "\\0") + " " + kind + " " + epoch + " " + sequence + " " + updates;
        }
    }

    final List<Entry> entries = new ArrayList<>();
    final Map<String, List<String>> updatesByTopic = new LinkedHashMap<>();

    JournalContents(final Path directory)
    {
        final FrameReader reader = new FrameReader();
        final UpdateCursor cursor = new UpdateCursor();
        try (JournalReader journal = JournalReader.open(directory))
        {
            journal.read(e ->
            {
                final byte[] payload = e.payloadBytes();
                entries.add(new Entry(e.topic(), payload, e.kindCode(), e.sessionEpoch(), e.sequence(),
                    e.updateCount(), e.flags()));
                if (e.kindCode() != JournalEntry.KIND_BATCH)
                {
                    return true;
                }
                final UnsafeBuffer buffer = new UnsafeBuffer(payload);
                if (reader.read(buffer, 0, payload.length) != FrameKind.BATCH)
                {
                    throw new AssertionError("entry " + e.index() + " is marked BATCH but does not decode as one");
                }
                final String topic = e.topic();
                long sequence = reader.batchHeader().firstSequence();
                cursor.wrap(buffer, reader.updatesOffset(), reader.batchHeader().updateCount());
                final List<String> list = updatesByTopic.computeIfAbsent(topic, k -> new ArrayList<>());
                int type;
                while ((type = cursor.next()) != UpdateCursor.END)
                {
                    if (type == UpdateCursor.QUOTE)
                    {
                        final QuoteDecoder q = cursor.quote();
                        list.add(UpdateRecorder.quote(topic + " " + sequence + " " + q.instrumentId(),
                            q.bidPrice().mantissa(), q.bidSize(), q.askPrice().mantissa(), q.askSize()));
                    }
                    else
                    {
                        final TradeDecoder t = cursor.trade();
                        list.add(UpdateRecorder.trade(topic + " " + sequence + " " + t.instrumentId(),
                            t.aggressorSide(), t.price().mantissa(), t.size(), t.tradeId()));
                    }
                    sequence++;
                }
                return true;
            });
        }
    }

    List<Entry> batches()
    {
        return entries.stream().filter(e -> e.kind() == JournalEntry.KIND_BATCH).toList();
    }

    Map<String, Long> updateCounts()
    {
        final Map<String, Long> counts = new LinkedHashMap<>();
        updatesByTopic.forEach((topic, updates) -> counts.put(topic, (long)updates.size()));
        return counts;
    }
}
