package dev.feedhandler.publisher.source;

/**
 * The speed of a replay of recorded prices (a tick file of {@code feed publish --source csv}, a journal of
 * {@code feed replay --publish}): a factor of the recorded pace, 1 for the recorded pace itself. Both replays accept
 * the same values, checked here once.
 * <p>
 * The slowest speed is {@link #MIN_SPEED}: at 0.00001 one second of the recording takes 100 000 s, 27.8 hours, so
 * a replay slower than a day per recorded second is refused as the typo or unit mistake it is (seen: 1e-300, which
 * was accepted and waited for ever). Any larger finite speed is accepted: the pacing divides each update's offset
 * from the first by the speed and rounds it down to whole nanoseconds, so a speed larger than the recording's span
 * in nanoseconds (1e300, {@code Double.MAX_VALUE}) makes every update due at once, as {@code max} does, without
 * overflow. Even at the slowest speed the arithmetic cannot overflow: an offset past {@code Long.MAX_VALUE}
 * nanoseconds (a gap of more than 25.6 hours at 0.00001) saturates there, 292 years.
 */
public final class ReplaySpeed
{
    /** The slowest speed accepted: one second of the recording then takes 27.8 hours. */
    public static final double MIN_SPEED = 0.00001;

    /** {@link #MIN_SPEED} as messages and help texts print it. */
    public static final String MIN_SPEED_NUMBER = "0.00001";

    /** What {@link #MIN_SPEED} means. */
    public static final String MIN_SPEED_MEANING = "one second of the recording then takes 27.8 hours";

    /** {@link #MIN_SPEED} with what it means, for messages. */
    public static final String MIN_SPEED_TEXT = MIN_SPEED_NUMBER + " (" + MIN_SPEED_MEANING + ")";

    private ReplaySpeed()
    {
    }

    /**
     * Whether a speed factor paces a replay within the bounds: finite and at least {@link #MIN_SPEED} ({@code max}
     * is each replay's own value, not a factor).
     *
     * @param speed the factor.
     * @return true if a replay may run at it.
     */
    public static boolean isValid(final double speed)
    {
        return speed >= MIN_SPEED && speed <= Double.MAX_VALUE;
    }

    /**
     * Whether a speed factor is a positive finite number below {@link #MIN_SPEED}: a value to refuse with the bound
     * in the message rather than as not a number at all.
     *
     * @param speed the factor.
     * @return true if it is positive and too slow.
     */
    public static boolean isTooSlow(final double speed)
    {
        return speed > 0 && speed < MIN_SPEED;
    }
}
