package dev.feedhandler.common.concurrent;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Locale;

/**
 * Named idle strategies for the threads that poll. The default, {@code backoff}, spins briefly, then yields, then
 * parks for up to a millisecond, so an idle thread does not burn a core (development and CI machines have two).
 * {@code park} never spins nor yields: it parks after every duty cycle, 200 us after work, doubling while idle up to
 * 4 ms, or until the agent's next timed duty when it says when that is (up to a second; {@link ParkingIdleStrategy});
 * the publisher's default, whose message budget, not its wake-ups, sets the message rate. {@code park:D} parks D
 * after work instead (for example {@code park:50us}: lower latency at moderate rates, more wake-ups).
 * {@code sleep} sleeps 100 us after a duty cycle that did nothing, {@code sleep:D} D (a shared-memory reader's wait,
 * docs/shared-memory.md); a thread that finds work in every cycle, a publisher under a paced source, never sleeps.
 * {@code spin} burns a core and is for benchmarks on machines with cores to spare.
 */
public final class IdleStrategies
{
    /** The names accepted by {@link #of(String)}. */
    public static final String NAMES =
        "park, park:DURATION (e.g. park:50us), backoff, sleep, sleep:DURATION (e.g. sleep:50us), yield, spin";

    /**
     * The park after a duty cycle that did work, of {@code park}. Each wake-up of a thread costs 20-40 us of CPU on
     * the 2-core development VM, and a publisher's wake-up wakes JeroMQ's I/O thread and the subscribers' threads in
     * turn: 200 us instead of 50 took the feed at 100k/s from 1.14-1.16 to 0.76-0.83 cores (publisher and subscriber)
     * at the same p99, for 0-70 us more at the median (docs/batching.md).
     */
    public static final long PARK_AFTER_WORK_NS = 200_000;

    /** The shortest park after work that {@code park:D} accepts. */
    public static final long MIN_PARK_AFTER_WORK_NS = 1_000;
    /** The longest park after work that {@code park:D} accepts. */
    public static final long MAX_PARK_AFTER_WORK_NS = 4_000_000;

    /** The default name. */
    public static final String DEFAULT = "backoff";

    private static final long MAX_SPINS = 20;
    private static final long MAX_YIELDS = 50;
    private static final long MIN_PARK_NS = 1_000;
    private static final long MAX_PARK_NS = 1_000_000;
    private static final long SLEEP_NS = 100_000;
    private static final String SLEEP = "sleep";
    private static final long MAX_PARK_ONLY_NS = 4_000_000;
    private static final long MAX_DUE_PARK_NS = 1_000_000_000;

    private IdleStrategies()
    {
    }

    /**
     * An idle strategy by name.
     *
     * @param name one of {@link #NAMES}.
     * @return a new strategy.
     * @throws IllegalArgumentException for an unknown name.
     */
    public static IdleStrategy of(final String name)
    {
        final String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith(ParkingIdleStrategy.ALIAS + ":"))
        {
            return park(duration(ParkingIdleStrategy.ALIAS, "park after work",
                name.substring(ParkingIdleStrategy.ALIAS.length() + 1)));
        }
        if (lower.startsWith(SLEEP + ":"))
        {
            return new SleepingIdleStrategy(duration(SLEEP, SLEEP, name.substring(SLEEP.length() + 1)));
        }
        switch (lower)
        {
            case ParkingIdleStrategy.ALIAS:
                return park(PARK_AFTER_WORK_NS);
            case "backoff":
                return new BackoffIdleStrategy(MAX_SPINS, MAX_YIELDS, MIN_PARK_NS, MAX_PARK_NS);
            case SLEEP:
                return new SleepingIdleStrategy(SLEEP_NS);
            case "yield":
                return new YieldingIdleStrategy();
            case "spin":
                return new BusySpinIdleStrategy();
            default:
                throw new IllegalArgumentException("unknown idle strategy '" + name + "' (use one of " + NAMES + ")");
        }
    }

    /**
     * A parking strategy: {@code afterWorkNs} after a duty cycle that did work, doubling while idle up to 4 ms, or
     * until the agent's next timed duty (up to a second).
     *
     * @param afterWorkNs the park after work, within [{@link #MIN_PARK_AFTER_WORK_NS},
     *                    {@link #MAX_PARK_AFTER_WORK_NS}].
     * @return a new strategy.
     */
    public static ParkingIdleStrategy park(final long afterWorkNs)
    {
        return new ParkingIdleStrategy(afterWorkNs, MAX_PARK_ONLY_NS, MAX_DUE_PARK_NS, SystemNanoClock.INSTANCE);
    }

    private static long duration(final String alias, final String noun, final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        final long unitNs;
        switch (value.length() < 2 ? "" : value.substring(value.length() - 2))
        {
            case "ns":
                unitNs = 1;
                break;
            case "us":
                unitNs = 1_000;
                break;
            case "ms":
                unitNs = 1_000_000;
                break;
            default:
                throw new IllegalArgumentException("idle strategy '" + alias + ":" + text + "': give the " + noun +
                    " with a unit, for example " + alias + ":50us or " + alias + ":1ms");
        }
        final String digits = value.substring(0, value.length() - 2).trim();
        final long ns;
        try
        {
            ns = Math.multiplyExact(Long.parseLong(digits), unitNs);
        }
        catch (final NumberFormatException | ArithmeticException ex)
        {
            throw new IllegalArgumentException("idle strategy '" + alias + ":" + text + "': '" + digits +
                "' is not a whole number (for example " + alias + ":50us)");
        }
        if (ns < MIN_PARK_AFTER_WORK_NS || ns > MAX_PARK_AFTER_WORK_NS)
        {
            throw new IllegalArgumentException("idle strategy '" + alias + ":" + text + "': the " + noun +
                " must be from 1us to 4ms");
        }
        return ns;
    }
}
