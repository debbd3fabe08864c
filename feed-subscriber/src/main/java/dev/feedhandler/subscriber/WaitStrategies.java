package dev.feedhandler.subscriber;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Named wait strategies for the listener thread. The default, {@code lite-blocking}, parks the listener thread
 * when there is nothing to deliver and is woken by the receiver only when it is actually waiting: it does not
 * burn a core, and measured 37 M events/s on a 2-core machine against 6.5 M/s for Disruptor's default
 * {@code blocking}. {@code busy-spin} and {@code yielding} keep a core busy and are for machines with cores to
 * spare.
 */
public final class WaitStrategies
{
    /** The names accepted by {@link #of(String)}. */
    public static final String NAMES = "lite-blocking, phased, blocking, sleeping, yielding, busy-spin";

    /** The default name. */
    public static final String DEFAULT = "lite-blocking";

    /**
     * The lite strategies' timeout: only a safety net (the receiver wakes a waiting listener; the dispatcher has no
     * timed duty), so long enough that an idle listener does not wake up for nothing: at 1 ms it woke 930 times a
     * second, 1.6% of a core (issue 12, perf/experiments/idle-cpu.sh).
     */
    static final long LITE_TIMEOUT_MS = 100;
    private static final long PHASED_SPIN_NS = 2_000;
    private static final long PHASED_YIELD_NS = 200_000;

    private WaitStrategies()
    {
    }

    /**
     * A wait strategy by name.
     *
     * @param name one of {@link #NAMES}.
     * @return a new strategy.
     * @throws IllegalArgumentException for an unknown name.
     */
    public static WaitStrategy of(final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "lite-blocking":
                return new LiteTimeoutBlockingWaitStrategy(LITE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            case "phased":
                // Spin a few microseconds, yield for a while, then block: lower latency under steady load, at the
                // price of a busy listener thread while the feed flows; blocks like lite-blocking when idle.
                return new PhasedBackoffWaitStrategy(PHASED_SPIN_NS, PHASED_YIELD_NS, TimeUnit.NANOSECONDS,
                    new LiteTimeoutBlockingWaitStrategy(LITE_TIMEOUT_MS, TimeUnit.MILLISECONDS));
            case "blocking":
                return new BlockingWaitStrategy();
            case "sleeping":
                return new SleepingWaitStrategy();
            case "yielding":
                return new YieldingWaitStrategy();
            case "busy-spin":
                return new BusySpinWaitStrategy();
            default:
                throw new IllegalArgumentException("unknown wait strategy '" + name + "' (use one of " + NAMES + ")");
        }
    }

    /**
     * Whether a strategy keeps a core busy while waiting.
     *
     * @param name the strategy name.
     * @return true for spinning strategies.
     */
    public static boolean spins(final String name)
    {
        final String lower = name.toLowerCase(Locale.ROOT);
        return "busy-spin".equals(lower) || "yielding".equals(lower);
    }
}
