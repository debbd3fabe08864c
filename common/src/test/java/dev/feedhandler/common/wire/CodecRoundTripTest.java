package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.codec.BatchHeaderDecoder;
import dev.feedhandler.common.codec.HeartbeatDecoder;
import dev.feedhandler.common.codec.Price9Decoder;
import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.codec.SessionStatusDecoder;
import dev.feedhandler.common.codec.TradeDecoder;
import dev.feedhandler.common.testing.TestSeeds;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every message of the schema written by {@link BatchWriter} or {@link ControlWriter} reads back, field by field,
 * through {@link FrameReader} and {@link UpdateCursor}: random values (seeded), extreme values, null prices and
 * the largest batch the header can count.
 */
class CodecRoundTripTest
{
    private static final int ITERATIONS = 5_000;
    private static final int MAX_RANDOM_BATCH = 300;
    private static final int MAX_OFFSET = 64;
    private static final long[] EXTREMES =
        {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1_000_000_000L, -1, 0, 1, 1_000_000_000L, Long.MAX_VALUE - 1,
            Long.MAX_VALUE};

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[
        MAX_OFFSET + WireFormat.BATCH_HEADER_LENGTH + WireFormat.MAX_UPDATES_PER_BATCH * WireFormat.MAX_UPDATE_LENGTH]);
    private final BatchWriter batchWriter = new BatchWriter();
    private final ControlWriter controlWriter = new ControlWriter();
    private final FrameReader reader = new FrameReader();
    private final UpdateCursor cursor = new UpdateCursor();

    @Test
    void shouldReadBackRandomBatchesOfMixedQuotesAndTrades()
    {
        final long seed = TestSeeds.seed("shouldReadBackRandomBatchesOfMixedQuotesAndTrades");
        final Random random = new Random(seed);
        for (int i = 0; i < ITERATIONS; i++)
        {
            final int count = random.nextInt(MAX_RANDOM_BATCH + 1);
            final List<Update> updates = new ArrayList<>(count);
            for (int u = 0; u < count; u++)
            {
                updates.add(Update.random(random));
            }
            final BatchFields header = BatchFields.random(random);
            final int offset = random.nextInt(MAX_OFFSET);

            final int length = writeBatch(offset, header, updates);

            assertBatch(offset, length, header, updates, "seed " + seed + ", iteration " + i);
        }
    }

    @Test
    void shouldReadBackExtremeValuesAndNullPrices()
    {
        final List<Update> updates = new ArrayList<>();
        final int[] instrumentIds = {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE};
        for (final long value : EXTREMES)
        {
            for (final int instrumentId : instrumentIds)
            {
                updates.add(Update.quote(instrumentId, value, value, value, value, value));
                updates.add(Update.quote(instrumentId, WireFormat.NULL_PRICE, value, value, value, value));
                updates.add(Update.quote(instrumentId, value, value, WireFormat.NULL_PRICE, value, value));
                updates.add(Update.quote(instrumentId, WireFormat.NULL_PRICE, 0, WireFormat.NULL_PRICE, 0, value));
                for (final AggressorSide side : AggressorSide.values())
                {
                    updates.add(Update.trade(instrumentId, side, value, value, value, value));
                }
            }
        }
        for (final long value : EXTREMES)
        {
            for (final boolean replay : new boolean[] {false, true})
            {
                final BatchFields header = new BatchFields(value, value, value, replay);
                final int length = writeBatch(0, header, updates);
                assertBatch(0, length, header, updates, "extreme " + value);
            }
        }
    }

    @Test
    void shouldReportNullPricesWithTheSchemaNullValue()
    {
        final BatchFields header = new BatchFields(1, 1, 1, false);
        final List<Update> updates = List.of(
            Update.quote(7, WireFormat.NULL_PRICE, 0, 1_084_150_000L, 1_000_000, 5),
            Update.quote(7, 1_084_120_000L, 1_000_000, WireFormat.NULL_PRICE, 0, 6));
        final int length = writeBatch(0, header, updates);

        assertThat(reader.read(buffer, 0, length)).isEqualTo(FrameKind.BATCH);
        cursor.wrap(buffer, reader.updatesOffset(), reader.batchHeader().updateCount());
        assertThat(cursor.next()).isEqualTo(UpdateCursor.QUOTE);
        assertThat(cursor.quote().bidPrice().mantissa())
            .isEqualTo(Long.MIN_VALUE)
            .isEqualTo(Price9Decoder.mantissaNullValue());
        assertThat(cursor.next()).isEqualTo(UpdateCursor.QUOTE);
        assertThat(cursor.quote().askPrice().mantissa()).isEqualTo(Long.MIN_VALUE);
        assertThat(cursor.quote().bidPrice().mantissa()).isEqualTo(1_084_120_000L);
    }

    @Test
    void shouldCarryTheLargestUpdateCountTheHeaderCanHold()
    {
        final long seed = TestSeeds.seed("shouldCarryTheLargestUpdateCountTheHeaderCanHold");
        final Random random = new Random(seed);
        final List<Update> updates = new ArrayList<>(WireFormat.MAX_UPDATES_PER_BATCH);
        int quotes = 0;
        for (int u = 0; u < WireFormat.MAX_UPDATES_PER_BATCH; u++)
        {
            final Update update = Update.random(random);
            quotes += update.quote ? 1 : 0;
            updates.add(update);
        }
        final BatchFields header = BatchFields.random(random);

        final int length = writeBatch(3, header, updates);

        assertThat(length).isEqualTo(WireFormat.BATCH_HEADER_LENGTH + quotes * WireFormat.QUOTE_LENGTH +
            (WireFormat.MAX_UPDATES_PER_BATCH - quotes) * WireFormat.TRADE_LENGTH);
        assertBatch(3, length, header, updates, "seed " + seed);
        assertThat(reader.batchHeader().updateCount()).isEqualTo(65_535);
    }

    @Test
    void shouldReadBackAnEmptyBatch()
    {
        final BatchFields header = new BatchFields(9, 1, 2, false);
        final int length = writeBatch(0, header, List.of());

        assertThat(length).isEqualTo(WireFormat.BATCH_HEADER_LENGTH);
        assertBatch(0, length, header, List.of(), "empty");
    }

    @Test
    void shouldReadBackRandomHeartbeats()
    {
        final long seed = TestSeeds.seed("shouldReadBackRandomHeartbeats");
        final Random random = new Random(seed);
        for (int i = 0; i < ITERATIONS; i++)
        {
            final int offset = random.nextInt(MAX_OFFSET);
            final long epoch = randomLong(random);
            final long lastSequence = randomLong(random);
            final long sendTimestampNs = randomLong(random);
            final boolean endOfSession = random.nextBoolean();

            final int length = controlWriter.heartbeat(buffer, offset, epoch, lastSequence, sendTimestampNs,
                endOfSession);

            final String context = "seed " + seed + ", iteration " + i;
            assertThat(length).as(context).isEqualTo(WireFormat.HEARTBEAT_LENGTH);
            assertThat(reader.read(buffer, offset, length)).as(context).isEqualTo(FrameKind.HEARTBEAT);
            assertThat(reader.error()).as(context).isNull();
            final HeartbeatDecoder heartbeat = reader.heartbeat();
            assertThat(heartbeat.sessionEpoch()).as(context).isEqualTo(epoch);
            assertThat(heartbeat.lastSequence()).as(context).isEqualTo(lastSequence);
            assertThat(heartbeat.sendTimestampNs()).as(context).isEqualTo(sendTimestampNs);
            assertThat(heartbeat.flags().endOfSession()).as(context).isEqualTo(endOfSession);
            assertThat(reader.sessionEpoch()).as(context).isEqualTo(epoch);
            assertThat(reader.sendTimestampNs()).as(context).isEqualTo(sendTimestampNs);
            assertThat(reader.isSessionEnded()).as(context).isFalse();
        }
    }

    @Test
    void shouldReadBackRandomSessionStatuses()
    {
        final long seed = TestSeeds.seed("shouldReadBackRandomSessionStatuses");
        final Random random = new Random(seed);
        for (int i = 0; i < ITERATIONS; i++)
        {
            final int offset = random.nextInt(MAX_OFFSET);
            final long epoch = randomLong(random);
            final long sendTimestampNs = randomLong(random);
            final long updates = randomLong(random);
            final long batches = randomLong(random);
            final int topics = (int)randomLong(random);
            final SessionState state = random.nextBoolean() ? SessionState.ACTIVE : SessionState.ENDED;

            final int length = controlWriter.sessionStatus(buffer, offset, epoch, sendTimestampNs, updates, batches,
                topics, state);

            final String context = "seed " + seed + ", iteration " + i;
            assertThat(length).as(context).isEqualTo(WireFormat.SESSION_STATUS_LENGTH);
            assertThat(reader.read(buffer, offset, length)).as(context).isEqualTo(FrameKind.SESSION_STATUS);
            final SessionStatusDecoder status = reader.sessionStatus();
            assertThat(status.sessionEpoch()).as(context).isEqualTo(epoch);
            assertThat(status.sendTimestampNs()).as(context).isEqualTo(sendTimestampNs);
            assertThat(status.publishedUpdates()).as(context).isEqualTo(updates);
            assertThat(status.publishedBatches()).as(context).isEqualTo(batches);
            assertThat(status.topicCount()).as(context).isEqualTo(topics);
            assertThat(status.state()).as(context).isEqualTo(state);
            assertThat(reader.isSessionEnded()).as(context).isEqualTo(state == SessionState.ENDED);
            assertThat(reader.sessionEpoch()).as(context).isEqualTo(epoch);
            assertThat(reader.sendTimestampNs()).as(context).isEqualTo(sendTimestampNs);
        }
    }

    @Test
    void shouldRewriteOnlyTheSendTimestampOfAFinishedBatch()
    {
        final List<Update> updates = List.of(
            Update.quote(1, 2, 3, 4, 5, 6), Update.trade(1, AggressorSide.SELL, 2, 3, 4, 5));
        final int length = writeBatch(5, new BatchFields(11, 12, 13, true), updates);
        final byte[] before = new byte[length];
        buffer.getBytes(5, before);

        BatchWriter.sendTimestampNs(buffer, 5, 0x0102030405060708L);

        assertThat(reader.read(buffer, 5, length)).isEqualTo(FrameKind.BATCH);
        assertThat(reader.batchHeader().sendTimestampNs()).isEqualTo(0x0102030405060708L);
        assertThat(reader.batchHeader().sessionEpoch()).isEqualTo(11);
        assertThat(reader.batchHeader().firstSequence()).isEqualTo(12);
        final byte[] after = new byte[length];
        buffer.getBytes(5, after);
        for (int i = 0; i < length; i++)
        {
            final boolean timestampByte = i >= 8 + 16 && i < 8 + 24;
            if (!timestampByte)
            {
                assertThat(after[i]).as("byte %d", i).isEqualTo(before[i]);
            }
        }
    }

    @Test
    void shouldSkipUpdatesWithoutDecodingThem()
    {
        final List<Update> updates = List.of(
            Update.quote(1, 10, 11, 12, 13, 14),
            Update.trade(1, AggressorSide.BUY, 20, 21, 22, 23),
            Update.quote(1, 30, 31, 32, 33, 34),
            Update.trade(1, AggressorSide.SELL, 40, 41, 42, 43));
        final int length = writeBatch(0, new BatchFields(1, 100, 2, false), updates);
        assertThat(reader.read(buffer, 0, length)).isEqualTo(FrameKind.BATCH);

        cursor.wrap(buffer, reader.updatesOffset(), updates.size());
        cursor.skip(2);
        assertThat(cursor.next()).isEqualTo(UpdateCursor.QUOTE);
        assertThat(cursor.quote().bidPrice().mantissa()).isEqualTo(30);
        cursor.skip(5);
        assertThat(cursor.next()).isEqualTo(UpdateCursor.END);
    }

    @Test
    void shouldStartAnEmptyBatchAfterReset()
    {
        batchWriter.wrap(buffer, 0);
        batchWriter.appendQuote(1, 2, 3, 4, 5, 6);
        batchWriter.appendTrade(1, AggressorSide.BUY, 2, 3, 4, 5);
        batchWriter.reset();
        assertThat(batchWriter.count()).isZero();
        assertThat(batchWriter.length()).isEqualTo(WireFormat.BATCH_HEADER_LENGTH);

        final int length = batchWriter.appendTrade(9, AggressorSide.SELL, 8, 7, 6, 5);
        assertThat(batchWriter.finish(1, 1, 1, false)).isEqualTo(length);

        assertThat(reader.read(buffer, 0, length)).isEqualTo(FrameKind.BATCH);
        cursor.wrap(buffer, reader.updatesOffset(), reader.batchHeader().updateCount());
        assertThat(cursor.next()).isEqualTo(UpdateCursor.TRADE);
        assertThat(cursor.trade().instrumentId()).isEqualTo(9);
        assertThat(cursor.next()).isEqualTo(UpdateCursor.END);
    }

    @Test
    void shouldWriteTheSameBatchBytesWhateverTheBufferHeldBefore()
    {
        final List<Update> updates = List.of(
            Update.trade(1, AggressorSide.SELL, 2, 3, 4, 5),
            Update.quote(1, 2, 3, 4, 5, 6),
            Update.quote(1, 7, 8, 9, 10, 11));
        final BatchFields header = new BatchFields(1, 2, 3, false);
        buffer.setMemory(0, 1024, (byte)0);
        final int length = writeBatch(0, header, updates);
        final byte[] clean = new byte[length];
        buffer.getBytes(0, clean);

        buffer.setMemory(0, 1024, (byte)0xFF);
        writeBatch(0, header, updates);
        final byte[] dirty = new byte[length];
        buffer.getBytes(0, dirty);

        assertThat(dirty).as("padding and reserved bytes must not carry stale buffer contents").isEqualTo(clean);
    }

    @Test
    void shouldWriteTheSameControlBytesWhateverTheBufferHeldBefore()
    {
        buffer.setMemory(0, 1024, (byte)0);
        controlWriter.heartbeat(buffer, 0, 1, 2, 3, true);
        controlWriter.sessionStatus(buffer, 100, 1, 2, 3, 4, 5, SessionState.ENDED);
        final byte[] clean = new byte[200];
        buffer.getBytes(0, clean);

        buffer.setMemory(0, 1024, (byte)0);
        buffer.setMemory(0, WireFormat.HEARTBEAT_LENGTH, (byte)0xFF);
        buffer.setMemory(100, WireFormat.SESSION_STATUS_LENGTH, (byte)0xFF);
        controlWriter.heartbeat(buffer, 0, 1, 2, 3, true);
        controlWriter.sessionStatus(buffer, 100, 1, 2, 3, 4, 5, SessionState.ENDED);
        final byte[] dirty = new byte[200];
        buffer.getBytes(0, dirty);

        assertThat(dirty).as("padding and reserved bytes must not carry stale buffer contents").isEqualTo(clean);
    }

    private int writeBatch(final int offset, final BatchFields header, final List<Update> updates)
    {
        batchWriter.wrap(buffer, offset);
        int expectedLength = WireFormat.BATCH_HEADER_LENGTH;
        for (final Update update : updates)
        {
            final int length;
            if (update.quote)
            {
                length = batchWriter.appendQuote(update.instrumentId, update.priceOrBid, update.sizeOrBidSize,
                    update.askOrTradeId, update.askSize, update.sourceTimestampNs);
                expectedLength += WireFormat.QUOTE_LENGTH;
            }
            else
            {
                length = batchWriter.appendTrade(update.instrumentId, update.side, update.priceOrBid,
                    update.sizeOrBidSize, update.askOrTradeId, update.sourceTimestampNs);
                expectedLength += WireFormat.TRADE_LENGTH;
            }
            assertThat(length).isEqualTo(expectedLength);
        }
        assertThat(batchWriter.count()).isEqualTo(updates.size());
        assertThat(batchWriter.length()).isEqualTo(expectedLength);
        final int length = batchWriter.finish(header.sessionEpoch, header.firstSequence, header.sendTimestampNs,
            header.replay);
        assertThat(length).isEqualTo(expectedLength);
        return length;
    }

    private void assertBatch(
        final int offset, final int length, final BatchFields header, final List<Update> updates, final String context)
    {
        assertThat(reader.read(buffer, offset, length)).as(context).isEqualTo(FrameKind.BATCH);
        assertThat(reader.kind()).as(context).isEqualTo(FrameKind.BATCH);
        assertThat(reader.error()).as(context).isNull();
        assertThat(reader.updatesOffset()).as(context).isEqualTo(offset + WireFormat.BATCH_HEADER_LENGTH);

        final BatchHeaderDecoder decoded = reader.batchHeader();
        assertThat(decoded.sessionEpoch()).as(context).isEqualTo(header.sessionEpoch);
        assertThat(decoded.firstSequence()).as(context).isEqualTo(header.firstSequence);
        assertThat(decoded.sendTimestampNs()).as(context).isEqualTo(header.sendTimestampNs);
        assertThat(decoded.updateCount()).as(context).isEqualTo(updates.size());
        assertThat(decoded.flags().replay()).as(context).isEqualTo(header.replay);
        assertThat(reader.sessionEpoch()).as(context).isEqualTo(header.sessionEpoch);
        assertThat(reader.sendTimestampNs()).as(context).isEqualTo(header.sendTimestampNs);

        cursor.wrap(buffer, reader.updatesOffset(), decoded.updateCount());
        for (int i = 0; i < updates.size(); i++)
        {
            final Update expected = updates.get(i);
            final String where = context + ", update " + i;
            final int kind = cursor.next();
            if (expected.quote)
            {
                assertThat(kind).as(where).isEqualTo(UpdateCursor.QUOTE);
                final QuoteDecoder quote = cursor.quote();
                assertThat(quote.instrumentId()).as(where).isEqualTo(expected.instrumentId);
                assertThat(quote.bidPrice().mantissa()).as(where).isEqualTo(expected.priceOrBid);
                assertThat(quote.bidSize()).as(where).isEqualTo(expected.sizeOrBidSize);
                assertThat(quote.askPrice().mantissa()).as(where).isEqualTo(expected.askOrTradeId);
                assertThat(quote.askSize()).as(where).isEqualTo(expected.askSize);
                assertThat(quote.sourceTimestampNs()).as(where).isEqualTo(expected.sourceTimestampNs);
            }
            else
            {
                assertThat(kind).as(where).isEqualTo(UpdateCursor.TRADE);
                final TradeDecoder trade = cursor.trade();
                assertThat(trade.instrumentId()).as(where).isEqualTo(expected.instrumentId);
                assertThat(trade.aggressorSide()).as(where).isEqualTo(expected.side);
                assertThat(trade.price().mantissa()).as(where).isEqualTo(expected.priceOrBid);
                assertThat(trade.size()).as(where).isEqualTo(expected.sizeOrBidSize);
                assertThat(trade.tradeId()).as(where).isEqualTo(expected.askOrTradeId);
                assertThat(trade.sourceTimestampNs()).as(where).isEqualTo(expected.sourceTimestampNs);
            }
        }
        assertThat(cursor.next()).as(context).isEqualTo(UpdateCursor.END);
        assertThat(cursor.next()).as(context).isEqualTo(UpdateCursor.END);
    }

    static long randomLong(final Random random)
    {
        return random.nextInt(8) == 0 ? EXTREMES[random.nextInt(EXTREMES.length)] : random.nextLong();
    }

    private record BatchFields(long sessionEpoch, long firstSequence, long sendTimestampNs, boolean replay)
    {
        static BatchFields random(final Random random)
        {
            return new BatchFields(randomLong(random), randomLong(random), randomLong(random), random.nextBoolean());
        }
    }

    /**
     * One quote or trade as the test expects to read it back.
     */
    private record Update(
        boolean quote,
        int instrumentId,
        AggressorSide side,
        long priceOrBid,
        long sizeOrBidSize,
        long askOrTradeId,
        long askSize,
        long sourceTimestampNs)
    {
        static Update quote(final int instrumentId, final long bid, final long bidSize, final long ask,
            final long askSize, final long sourceTimestampNs)
        {
            return new Update(true, instrumentId, null, bid, bidSize, ask, askSize, sourceTimestampNs);
        }

        static Update trade(final int instrumentId, final AggressorSide side, final long price, final long size,
            final long tradeId, final long sourceTimestampNs)
        {
            return new Update(false, instrumentId, side, price, size, tradeId, 0, sourceTimestampNs);
        }

        static Update random(final Random random)
        {
            final int instrumentId = random.nextInt(4) == 0 ? (int)randomLong(random) : random.nextInt(1000);
            if (random.nextBoolean())
            {
                return quote(instrumentId, randomPrice(random), randomLong(random), randomPrice(random),
                    randomLong(random), randomLong(random));
            }
            final AggressorSide side = AggressorSide.values()[random.nextInt(AggressorSide.values().length)];
            return trade(instrumentId, side, randomPrice(random), randomLong(random), randomLong(random),
                randomLong(random));
        }

        private static long randomPrice(final Random random)
        {
            return random.nextInt(10) == 0 ? WireFormat.NULL_PRICE : randomLong(random);
        }
    }
}
