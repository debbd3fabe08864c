package dev.feedhandler.cli;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.price.Prices;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.source.SyntheticSource;
import dev.feedhandler.publisher.source.UpdateSink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a synthetic publisher with a given seed publishes, regenerated independently (the source is deterministic):
 * per topic, the updates in order with their sequence numbers and values, formatted as {@link UpdateRecorder}
 * formats what a subscriber receives.
 */
final class ExpectedFeed implements UpdateSink
{
    private final InstrumentRegistry registry = new InstrumentRegistry();
    private final Map<String, List<String>> byTopic = new HashMap<>();
    private final Map<String, Long> sequences = new HashMap<>();

    ExpectedFeed(final int instruments, final long seed, final long count)
    {
        final SyntheticSource source = new SyntheticSource(new SyntheticConfiguration(instruments, Long.MAX_VALUE,
            seed, 0.2, 0, Duration.ofSeconds(1), count), registry, WallClock.shared());
        while (!source.isExhausted())
        {
            source.poll(this, 1000, System.nanoTime());
        }
    }

    private String next(final int instrumentId)
    {
        final String symbol = registry.get(instrumentId).symbol();
        final long sequence = sequences.merge(symbol, 1L, Long::sum);
        return symbol + " " + sequence + " " + instrumentId;
    }

    @Override
    public void onQuote(
        final int instrumentId, final long bidPrice, final long bidSize, final long askPrice, final long askSize,
        final long sourceTimestampNs)
    {
        final String prefix = next(instrumentId);
        byTopic.computeIfAbsent(registry.get(instrumentId).symbol(), k -> new ArrayList<>())
            .add(UpdateRecorder.quote(prefix, bidPrice, bidSize, askPrice, askSize));
    }

    @Override
    public void onTrade(
        final int instrumentId, final AggressorSide side, final long price, final long size, final long tradeId,
        final long sourceTimestampNs)
    {
        final String prefix = next(instrumentId);
        byTopic.computeIfAbsent(registry.get(instrumentId).symbol(), k -> new ArrayList<>())
            .add(UpdateRecorder.trade(prefix, side, price, size, tradeId));
    }

    Map<String, List<String>> byTopic()
    {
        return byTopic;
    }

    static String format(final long mantissa)
    {
        return Prices.toString(mantissa);
    }
}
