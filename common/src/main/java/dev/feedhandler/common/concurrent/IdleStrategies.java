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
 * {@code park} never spins nor yields: it parks after every duty cycle, 50 us after work, doubling while idle up to
 * 4 ms, or until the agent's next timed duty when it says when that is (up to a second; {@link ParkingIdleStrategy});
 * the publisher's default, whose message budget, not its wake-ups, sets the message rate. {@code spin} burns a core
 * and is for benchmarks on machines with cores to spare.
 */
public final class IdleStrategies
{
    /** The names accepted by {@link #of(String)}. */
    public static final String NAMES = "park, backoff, sleep, yield, spin";

    /** The default name. */
    public static final String DEFAULT = "backoff";

    private static final long MAX_SPINS = 20;
    private static final long MAX_YIELDS = 50;
    private static final long MIN_PARK_NS = 1_000;
    private static final long MAX_PARK_NS = 1_000_000;
    private static final long SLEEP_NS = 100_000;
    private static final long MIN_PARK_ONLY_NS = 50_000;
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
        switch (name.toLowerCase(Locale.ROOT))
        {
            case ParkingIdleStrategy.ALIAS:
                return new ParkingIdleStrategy(MIN_PARK_ONLY_NS, MAX_PARK_ONLY_NS, MAX_DUE_PARK_NS,
                    SystemNanoClock.INSTANCE);
            case "backoff":
                return new BackoffIdleStrategy(MAX_SPINS, MAX_YIELDS, MIN_PARK_NS, MAX_PARK_NS);
            case "sleep":
                return new SleepingIdleStrategy(SLEEP_NS);
            case "yield":
                return new YieldingIdleStrategy();
            case "spin":
                return new BusySpinIdleStrategy();
            default:
                throw new IllegalArgumentException("unknown idle strategy '" + name + "' (use one of " + NAMES + ")");
        }
    }
}
