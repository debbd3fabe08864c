package dev.feedhandler.cli.journal;

import dev.feedhandler.journal.JournalInfo;
import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.common.codec.TradeDecoder;
import dev.feedhandler.cli.json.Json;
import dev.feedhandler.common.price.Prices;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.UpdateCursor;
import dev.feedhandler.common.wire.WireFormat;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the updates of journal entries, one line per update, as {@code text} for people, {@code csv} (with a header
 * line) or {@code json} (one object per line). Prices are exact decimal text (a JSON string), never a double.
 */
public final class UpdateFormat
{
    /** The formats. */
    public enum Kind
    {
        /** Readable text. */
        TEXT,
        /** Comma-separated values with a header line. */
        CSV,
        /** One JSON object per line. */
        JSON
    }

    /** The CSV header line. */
    public static final String CSV_HEADER = "index,time,sendTimestampNs,topic,epoch,sequence,type,instrumentId," +
        "bidPrice,bidSize,askPrice,askSize,price,size,side,tradeId,sourceTimestampNs";

    private final Kind kind;
    private final PrintStream out;
    private final FrameReader frameReader = new FrameReader();
    private final UpdateCursor cursor = new UpdateCursor();
    private final StringBuilder line = new StringBuilder(256);
    /** Each topic as a JSON string, written once: a journal carries few topics and many updates of each. */
    private final Map<String, String> jsonTopics = new HashMap<>();
    private long updates;
    private long batches;

    /**
     * A printer.
     *
     * @param kind the format.
     * @param out  where lines go.
     */
    public UpdateFormat(final Kind kind, final PrintStream out)
    {
        this.kind = kind;
        this.out = out;
    }

    /**
     * A format by name.
     *
     * @param name text, csv or json.
     * @return the format.
     * @throws IllegalArgumentException for another name.
     */
    public static Kind kind(final String name)
    {
        try
        {
            return Kind.valueOf(name.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("unknown format '" + name + "' (use text, csv or json)");
        }
    }

    /**
     * Prints the header, if the format has one.
     */
    public void start()
    {
        if (kind == Kind.CSV)
        {
            out.println(CSV_HEADER);
        }
    }

    /**
     * Prints the updates of an entry, if it is a valid batch.
     *
     * @param entry the entry.
     */
    public void print(final JournalEntry entry)
    {
        if (entry.kindCode() != JournalEntry.KIND_BATCH ||
            frameReader.read(entry.buffer(), entry.payloadOffset(), entry.payloadLength()) != FrameKind.BATCH)
        {
            return;
        }
        batches++;
        final String topic = entry.topic();
        final String time = JournalInfo.time(entry.journalTimestampNs());
        long sequence = entry.sequence();
        cursor.wrap(entry.buffer(), frameReader.updatesOffset(), entry.updateCount());
        int type;
        while ((type = cursor.next()) != UpdateCursor.END)
        {
            line.setLength(0);
            if (type == UpdateCursor.QUOTE)
            {
                quote(entry, topic, time, sequence, cursor.quote());
            }
            else
            {
                trade(entry, topic, time, sequence, cursor.trade());
            }
            out.println(line);
            sequence++;
            updates++;
        }
    }

    private void quote(final JournalEntry entry, final String topic, final String time, final long sequence,
        final QuoteDecoder quote)
    {
        final long bid = quote.bidPrice().mantissa();
        final long ask = quote.askPrice().mantissa();
        switch (kind)
        {
            case TEXT:
                line.append(time).append(' ').append(topic).append(" Q seq=").append(sequence).append(" bid=");
                Prices.append(line, bid).append('x').append(quote.bidSize()).append(" ask=");
                Prices.append(line, ask).append('x').append(quote.askSize())
                    .append(" ts=").append(quote.sourceTimestampNs());
                break;
            case CSV:
                csvStart(entry, topic, time, sequence, "quote", quote.instrumentId());
                Prices.append(line, bid).append(',').append(quote.bidSize()).append(',');
                Prices.append(line, ask).append(',').append(quote.askSize()).append(",,,,,")
                    .append(quote.sourceTimestampNs());
                break;
            default:
                jsonStart(entry, topic, time, sequence, "quote", quote.instrumentId());
                line.append(",\"bidPrice\":");
                jsonPrice(bid);
                line.append(",\"bidSize\":").append(quote.bidSize()).append(",\"askPrice\":");
                jsonPrice(ask);
                line.append(",\"askSize\":").append(quote.askSize())
                    .append(",\"sourceTimestampNs\":").append(quote.sourceTimestampNs()).append('}');
                break;
        }
    }

    private void trade(final JournalEntry entry, final String topic, final String time, final long sequence,
        final TradeDecoder trade)
    {
        final String side = trade.aggressorSide().name();
        switch (kind)
        {
            case TEXT:
                line.append(time).append(' ').append(topic).append(" T seq=").append(sequence).append(" px=");
                Prices.append(line, trade.price().mantissa()).append(" qty=").append(trade.size())
                    .append(" side=").append(side).append(" id=").append(trade.tradeId())
                    .append(" ts=").append(trade.sourceTimestampNs());
                break;
            case CSV:
                csvStart(entry, topic, time, sequence, "trade", trade.instrumentId());
                line.append(",,,,");
                Prices.append(line, trade.price().mantissa()).append(',').append(trade.size()).append(',')
                    .append(side).append(',').append(trade.tradeId()).append(',').append(trade.sourceTimestampNs());
                break;
            default:
                jsonStart(entry, topic, time, sequence, "trade", trade.instrumentId());
                line.append(",\"price\":");
                jsonPrice(trade.price().mantissa());
                line.append(",\"size\":").append(trade.size()).append(",\"side\":\"").append(side)
                    .append("\",\"tradeId\":").append(trade.tradeId())
                    .append(",\"sourceTimestampNs\":").append(trade.sourceTimestampNs()).append('}');
                break;
        }
    }

    private void csvStart(final JournalEntry entry, final String topic, final String time, final long sequence,
        final String type, final int instrumentId)
    {
        line.append(entry.index()).append(',').append(time).append(',').append(entry.sendTimestampNs()).append(',')
            .append(csvTopic(topic)).append(',').append(entry.sessionEpoch()).append(',').append(sequence)
            .append(',')
            .append(type).append(',').append(instrumentId).append(',');
    }

    private void jsonStart(final JournalEntry entry, final String topic, final String time, final long sequence,
        final String type, final int instrumentId)
    {
        line.append("{\"index\":").append(entry.index()).append(",\"time\":\"").append(time)
            .append("\",\"sendTimestampNs\":").append(entry.sendTimestampNs()).append(",\"topic\":")
            .append(jsonTopics.computeIfAbsent(topic, Json::write)).append(",\"epoch\":").append(entry.sessionEpoch())
            .append(",\"sequence\":").append(sequence)
            .append(",\"type\":\"").append(type).append("\",\"instrumentId\":").append(instrumentId);
    }

    private static String csvTopic(final String topic)
    {
        return topic.indexOf(',') < 0 && topic.indexOf('"') < 0 ? topic : '"' + topic.replace("\"", "\"\"") + '"';
    }

    private void jsonPrice(final long mantissa)
    {
        if (mantissa == WireFormat.NULL_PRICE)
        {
            line.append("null");
        }
        else
        {
            Prices.append(line.append('"'), mantissa).append('"');
        }
    }

    /**
     * Updates printed so far.
     *
     * @return the count.
     */
    public long updates()
    {
        return updates;
    }

    /**
     * Batches printed so far.
     *
     * @return the count.
     */
    public long batches()
    {
        return batches;
    }
}
