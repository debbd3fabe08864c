package dev.feedhandler.publisher.source;

import dev.feedhandler.common.price.Prices;

import java.util.ArrayList;
import java.util.List;

/**
 * The synthetic universe: a fixed list of real symbols with realistic reference prices and ticks, then generated
 * symbols {@code SYM0001}, {@code SYM0002}, ... beyond the list.
 */
public final class ReferenceInstruments
{
    /**
     * One instrument of the synthetic universe.
     *
     * @param symbol       its symbol.
     * @param referenceMid starting mid price mantissa.
     * @param tick         price increment mantissa.
     * @param lot          size increment.
     */
    public record Spec(String symbol, long referenceMid, long tick, long lot)
    {
    }

    private static final List<Spec> FIXED = List.of(
        fx("EURUSD", "1.08500", "0.00001"),
        fx("GBPUSD", "1.27000", "0.00001"),
        fx("USDJPY", "150.000", "0.001"),
        fx("AUDUSD", "0.66000", "0.00001"),
        fx("USDCHF", "0.88000", "0.00001"),
        fx("USDCAD", "1.36000", "0.00001"),
        fx("NZDUSD", "0.61000", "0.00001"),
        fx("EURGBP", "0.85500", "0.00001"),
        fx("EURJPY", "162.500", "0.001"),
        fx("GBPJPY", "190.000", "0.001"),
        fx("EURCHF", "0.95500", "0.00001"),
        fx("EURAUD", "1.64000", "0.00001"),
        fx("EURCAD", "1.47500", "0.00001"),
        fx("AUDJPY", "99.000", "0.001"),
        fx("CHFJPY", "170.000", "0.001"),
        fx("GBPCHF", "1.12000", "0.00001"),
        other("XAUUSD", "2350.00", "0.01", 1),
        other("XAGUSD", "28.000", "0.001", 50),
        other("BTCUSD", "65000.00", "0.01", 1),
        other("ETHUSD", "3500.00", "0.01", 1));

    private ReferenceInstruments()
    {
    }

    /**
     * The first {@code count} instruments of the universe.
     *
     * @param count how many.
     * @return the reference list, then generated symbols.
     */
    public static List<Spec> first(final int count)
    {
        final List<Spec> specs = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            specs.add(i < FIXED.size() ? FIXED.get(i) : generated(i - FIXED.size() + 1));
        }
        return specs;
    }

    /**
     * Number of real symbols before the generated ones.
     *
     * @return the size of the fixed list.
     */
    public static int fixedCount()
    {
        return FIXED.size();
    }

    private static Spec generated(final int n)
    {
        final String symbol = n < 10_000 ? String.format("SYM%04d", n) : "SYM" + n;
        return new Spec(symbol, Prices.parse("100.00"), Prices.parse("0.01"), 100);
    }

    private static Spec fx(final String symbol, final String mid, final String tick)
    {
        return new Spec(symbol, Prices.parse(mid), Prices.parse(tick), 1_000_000);
    }

    private static Spec other(final String symbol, final String mid, final String tick, final long lot)
    {
        return new Spec(symbol, Prices.parse(mid), Prices.parse(tick), lot);
    }
}
