package dev.feedhandler.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.queue.rollcycles.SparseRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Roll cycles by name for {@code --journal-roll}: short aliases ({@code daily}, {@code hourly}, {@code minutely},
 * {@code secondly}) or any Chronicle Queue roll cycle constant ({@code FAST_HOURLY}, {@code TEN_MINUTELY},
 * {@code TEST_SECONDLY}, ...), case-insensitive.
 */
public final class JournalRollCycles
{
    /** The default roll cycle name: one file per UTC day. */
    public static final String DEFAULT = "daily";

    /** The aliases, for help texts. */
    public static final String ALIASES = "daily, hourly, minutely, secondly";

    private static final Map<String, RollCycle> BY_NAME = new LinkedHashMap<>();

    static
    {
        BY_NAME.put("daily", RollCycles.FAST_DAILY);
        BY_NAME.put("hourly", RollCycles.FAST_HOURLY);
        BY_NAME.put("minutely", LegacyRollCycles.MINUTELY);
        BY_NAME.put("secondly", TestRollCycles.TEST_SECONDLY);
        for (final RollCycle[] values : new RollCycle[][] {
            RollCycles.values(), LegacyRollCycles.values(), LargeRollCycles.values(), SparseRollCycles.values(),
            TestRollCycles.values()})
        {
            for (final RollCycle cycle : values)
            {
                BY_NAME.putIfAbsent(((Enum<?>)cycle).name().toLowerCase(Locale.ROOT), cycle);
            }
        }
    }

    private JournalRollCycles()
    {
    }

    /**
     * The roll cycle of a name.
     *
     * @param name an alias or a Chronicle constant name.
     * @return the roll cycle.
     * @throws IllegalArgumentException for an unknown name, with a one-line message.
     */
    public static RollCycle of(final String name)
    {
        final RollCycle cycle = BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
        if (cycle == null)
        {
            throw new IllegalArgumentException("unknown roll cycle '" + name + "' (use " + ALIASES +
                ", or a Chronicle Queue roll cycle such as FAST_HOURLY or TEN_MINUTELY)");
        }
        return cycle;
    }

    /**
     * The name a user gives a roll cycle: the alias ({@code daily}, {@code hourly} ...) if it has one.
     *
     * @param cycle a roll cycle.
     * @return such as {@code hourly}, or the Chronicle name in lower case.
     */
    public static String alias(final RollCycle cycle)
    {
        for (final Map.Entry<String, RollCycle> entry : BY_NAME.entrySet())
        {
            if (entry.getValue().equals(cycle))
            {
                return entry.getKey();
            }
        }
        return name(cycle);
    }

    /**
     * A readable name of a roll cycle.
     *
     * @param cycle the roll cycle.
     * @return its constant name.
     */
    public static String name(final RollCycle cycle)
    {
        return cycle instanceof Enum ? ((Enum<?>)cycle).name() : cycle.toString();
    }
}
