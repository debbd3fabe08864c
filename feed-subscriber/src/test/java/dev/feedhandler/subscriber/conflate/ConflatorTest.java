package dev.feedhandler.subscriber.conflate;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.common.codec.TradeDecoder;
import dev.feedhandler.common.testing.TestSeeds;
import dev.feedhandler.common.wire.BatchWriter;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.UpdateCursor;
import dev.feedhandler.subscriber.Topic;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The merge rules of subscriber-side conflation, synchronously: updates folded in by hand, what comes out recorded as
 * lines and compared. No thread, no clock: the rules depend on order alone. Each update's bid is its sequence number,
 * so a quote that comes out carries the right values or the line shows it.
 */
class ConflatorTest
{
    private static final long EPOCH = 7;
    private static final byte LIVE = 0;

    private final Topic eurusd = new Topic(0, "EURUSD");
    private final Topic usdjpy = new Topic(1, "USDJPY");
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final BatchWriter writer = new BatchWriter();
    private final FrameReader reader = new FrameReader();
    private final UpdateCursor cursor = new UpdateCursor();

    @Test
    void shouldMergeEachTopicsQuotesIntoItsNewestAndCountWhatItReplaced()
    {
        final Conflator conflator = new Conflator(16);
        quote(conflator, eurusd, 1);
        quote(conflator, usdjpy, 1);
        quote(conflator, eurusd, 2);
        quote(conflator, eurusd, 3);
        quote(conflator, usdjpy, 2);

        assertThat(conflator.pendingQuotes()).isEqualTo(2);
        assertThat(drain(conflator)).containsExactly("EURUSD Q 3 bid 3 replaced 2", "USDJPY Q 2 bid 2 replaced 1");
        assertThat(conflator.isEmpty()).isTrue();
        assertThat(conflator.next()).isEqualTo(Conflator.NONE);
    }

    @Test
    void shouldHandAQuoteOutAsItCameWhenNothingReplacedIt()
    {
        final Conflator conflator = new Conflator(16);
        quote(conflator, eurusd, 1);

        assertThat(drain(conflator)).containsExactly("EURUSD Q 1 bid 1 replaced 0");
    }

    @Test
    void shouldNeverMergeTradesAndKeepThemInArrivalOrder()
    {
        final Conflator conflator = new Conflator(16);
        trade(conflator, eurusd, 1);
        trade(conflator, usdjpy, 1);
        trade(conflator, eurusd, 2);
        trade(conflator, eurusd, 3);

        assertThat(drain(conflator)).containsExactly("EURUSD T 1 id 1", "USDJPY T 1 id 1", "EURUSD T 2 id 2",
            "EURUSD T 3 id 3");
    }

    @Test
    void shouldGivePricesFirstButKeepEachTopicInSequenceOrder()
    {
        final Conflator conflator = new Conflator(16);
        trade(conflator, eurusd, 1);
        quote(conflator, eurusd, 2);
        trade(conflator, eurusd, 3);
        quote(conflator, usdjpy, 1);
        quote(conflator, eurusd, 4);

        // USDJPY's quote goes first; EURUSD's newest quote (4) waits for EURUSD's trades 1 and 3, which came before it.
        assertThat(drain(conflator)).containsExactly("USDJPY Q 1 bid 1 replaced 0", "EURUSD T 1 id 1",
            "EURUSD T 3 id 3", "EURUSD Q 4 bid 4 replaced 1");
    }

    @Test
    void shouldLetAQuoteGoBeforeTheTopicsLaterTrades()
    {
        final Conflator conflator = new Conflator(16);
        quote(conflator, eurusd, 1);
        trade(conflator, eurusd, 2);
        trade(conflator, eurusd, 3);

        assertThat(drain(conflator)).containsExactly("EURUSD Q 1 bid 1 replaced 0", "EURUSD T 2 id 2",
            "EURUSD T 3 id 3");
    }

    @Test
    void shouldDropTradesPastTheBoundAndReportThemAfterTheTopicsEarlierTrades()
    {
        final Conflator conflator = new Conflator(2);
        trade(conflator, eurusd, 1);
        trade(conflator, usdjpy, 1);
        assertThat(trade(conflator, eurusd, 2)).isFalse();
        assertThat(trade(conflator, usdjpy, 2)).isFalse();
        assertThat(trade(conflator, eurusd, 3)).isFalse();
        quote(conflator, eurusd, 4);

        assertThat(conflator.pendingTrades()).isEqualTo(2);
        assertThat(drain(conflator)).containsExactly("EURUSD T 1 id 1", "EURUSD omitted up to 3: dropped 2",
            "EURUSD Q 4 bid 4 replaced 0", "USDJPY T 1 id 1", "USDJPY omitted up to 2: dropped 1");
    }

    @Test
    void shouldReportDropsBeforeANewerQuoteOfTheTopic()
    {
        final Conflator conflator = new Conflator(1);
        trade(conflator, usdjpy, 1);
        assertThat(trade(conflator, eurusd, 1)).isFalse();
        quote(conflator, eurusd, 2);

        assertThat(drain(conflator)).containsExactly("EURUSD omitted up to 1: dropped 1",
            "EURUSD Q 2 bid 2 replaced 0", "USDJPY T 1 id 1");
    }

    @Test
    void shouldFoldAConflatedStreamsMessageAsTheQuotesAndCountedTradesItStandsFor()
    {
        final Conflator conflator = new Conflator(16);
        quote(conflator, eurusd, 1);
        conflator.countedTrades(eurusd, 10, 3);
        conflator.quote(eurusd, 9, EPOCH, 0, LIVE, quoteDecoder(9), 5);

        assertThat(drain(conflator)).containsExactly("EURUSD omitted up to 10: counted 3",
            "EURUSD Q 9 bid 9 replaced 6");
    }

    @Test
    void shouldComeOutInTheSameOrderWhenFoldedAgainAfterAPartialDrain()
    {
        final Conflator conflator = new Conflator(16);
        quote(conflator, eurusd, 1);
        trade(conflator, usdjpy, 1);
        assertThat(conflator.next()).isEqualTo(Conflator.QUOTE);
        quote(conflator, eurusd, 2);
        trade(conflator, eurusd, 3);

        assertThat(drain(conflator)).containsExactly("EURUSD Q 2 bid 2 replaced 0", "USDJPY T 1 id 1",
            "EURUSD T 3 id 3");
    }

    /**
     * Random streams over random topics, folded and drained in random rounds: every update comes out exactly once
     * (delivered, replaced or reported dropped), each topic's deliveries are in sequence order, trades are never
     * lost without a report, and the last quote out of each topic is the last one in.
     */
    @Test
    void shouldAccountForEveryUpdateInRandomStreams()
    {
        final long seed = TestSeeds.seed("shouldAccountForEveryUpdateInRandomStreams");
        final Random random = new Random(seed);
        for (int round = 0; round < 200; round++)
        {
            final int topicCount = 1 + random.nextInt(6);
            final Topic[] topics = new Topic[topicCount];
            for (int i = 0; i < topicCount; i++)
            {
                topics[i] = new Topic(i, "T" + i);
            }
            final Conflator conflator = new Conflator(1 + random.nextInt(8));
            final long[] next = new long[topicCount];
            final long[] lastQuoteIn = new long[topicCount];
            final long[] lastQuoteOut = new long[topicCount];
            final long[] lastOut = new long[topicCount];
            final long[] accounted = new long[topicCount];
            final int updates = random.nextInt(300);
            for (int u = 0; u < updates; u++)
            {
                final int t = random.nextInt(topicCount);
                final long sequence = ++next[t];
                if (random.nextInt(3) == 0)
                {
                    trade(conflator, topics[t], sequence);
                }
                else
                {
                    quote(conflator, topics[t], sequence);
                    lastQuoteIn[t] = sequence;
                }
                if (random.nextInt(10) == 0)
                {
                    check(conflator, seed, lastQuoteOut, lastOut, accounted, random.nextInt(5));
                }
            }
            check(conflator, seed, lastQuoteOut, lastOut, accounted, Integer.MAX_VALUE);
            assertThat(conflator.isEmpty()).as("seed %d", seed).isTrue();
            for (int t = 0; t < topicCount; t++)
            {
                assertThat(accounted[t]).as("seed %d, topic %d: every update out once", seed, t).isEqualTo(next[t]);
                assertThat(lastQuoteOut[t]).as("seed %d, topic %d: last quote", seed, t).isEqualTo(lastQuoteIn[t]);
            }
        }
    }

    private static void check(final Conflator conflator, final long seed, final long[] lastQuoteOut,
        final long[] lastOut, final long[] accounted, final int limit)
    {
        int kind;
        int taken = 0;
        while (taken++ < limit && (kind = conflator.next()) != Conflator.NONE)
        {
            final int t = conflator.topic().id();
            final long sequence = conflator.sequence();
            if (kind == Conflator.TRADES_OMITTED)
            {
                assertThat(conflator.counted()).as("seed %d", seed).isZero();
                accounted[t] += conflator.dropped();
                continue;
            }
            assertThat(sequence).as("seed %d, topic %d in order", seed, t).isGreaterThan(lastOut[t]);
            lastOut[t] = sequence;
            accounted[t]++;
            if (kind == Conflator.QUOTE)
            {
                assertThat(conflator.quoteDecoder().bidPrice().mantissa()).as("seed %d", seed).isEqualTo(sequence);
                accounted[t] += conflator.replaced();
                lastQuoteOut[t] = sequence;
            }
            else
            {
                assertThat(conflator.tradeDecoder().tradeId()).as("seed %d", seed).isEqualTo(sequence);
            }
        }
    }

    private List<String> drain(final Conflator conflator)
    {
        final List<String> out = new ArrayList<>();
        int kind;
        while ((kind = conflator.next()) != Conflator.NONE)
        {
            final String topic = conflator.topic().symbol();
            switch (kind)
            {
                case Conflator.QUOTE:
                    out.add(topic + " Q " + conflator.sequence() + " bid " +
                        conflator.quoteDecoder().bidPrice().mantissa() + " replaced " + conflator.replaced());
                    break;
                case Conflator.TRADE:
                    out.add(topic + " T " + conflator.sequence() + " id " + conflator.tradeDecoder().tradeId());
                    break;
                default:
                    out.add(topic + " omitted up to " + conflator.sequence() + ":" +
                        (conflator.counted() > 0 ? " counted " + conflator.counted() : "") +
                        (conflator.dropped() > 0 ? " dropped " + conflator.dropped() : ""));
                    break;
            }
        }
        return out;
    }

    private void quote(final Conflator conflator, final Topic topic, final long sequence)
    {
        conflator.quote(topic, sequence, EPOCH, sequence * 10, LIVE, quoteDecoder(sequence), 0);
    }

    private boolean trade(final Conflator conflator, final Topic topic, final long sequence)
    {
        writer.wrap(buffer, 0);
        writer.appendTrade(topic.id(), AggressorSide.SELL, sequence, 1, sequence, sequence);
        final int length = writer.finish(EPOCH, sequence, 0, false);
        reader.read(buffer, 0, length);
        cursor.wrap(buffer, reader.updatesOffset(), 1);
        cursor.next();
        final TradeDecoder trade = cursor.trade();
        return conflator.trade(topic, sequence, EPOCH, sequence * 10, LIVE, trade);
    }

    private QuoteDecoder quoteDecoder(final long sequence)
    {
        writer.wrap(buffer, 0);
        writer.appendQuote(1, sequence, 1, sequence + 1, 1, sequence);
        final int length = writer.finish(EPOCH, sequence, 0, false);
        reader.read(buffer, 0, length);
        cursor.wrap(buffer, reader.updatesOffset(), 1);
        cursor.next();
        return cursor.quote();
    }
}
