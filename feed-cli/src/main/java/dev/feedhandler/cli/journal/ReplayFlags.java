package dev.feedhandler.cli.journal;

import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.publisher.source.ReplaySpeed;
import picocli.CommandLine.ParseResult;

/**
 * The rules on {@code feed replay}'s flags that picocli cannot check alone, each a usage error before the journal is
 * opened: a flag that the chosen mode, printing or {@code --publish}, would ignore, and the speed.
 */
final class ReplayFlags
{
    /** {@code --speed} of a replay to a socket when not given: the recorded pace, as a live feed. */
    static final String PUBLISH_SPEED = "1";

    /** {@code --speed} of a printing replay when not given: flat out, for files, pipes and {@code grep}. */
    static final String PRINT_SPEED = "max";

    /** Flags of the socket a replay publishes on: a printing replay has no socket to apply them to. */
    private static final String[] SOCKET_FLAGS =
        {"--await-subscribers", "--await-timeout", "--backpressure", "--sndhwm", "--close-linger",
            "--io-thread-policy"};

    private ReplayFlags()
    {
    }

    /**
     * A flag typed for the other mode would be ignored: {@code --sndhwm} on a printing replay, {@code --format}
     * with {@code --publish}. Values from a {@code --config} file are not typed flags and are not checked, as for
     * {@code feed publish}.
     *
     * @param typed      the flags typed, or null when the command runs without a command line (tests).
     * @param publishing whether {@code --publish} names an endpoint.
     */
    static void checkApply(final ParseResult typed, final boolean publishing)
    {
        if (typed == null)
        {
            return;
        }
        if (publishing && typed.hasMatchedOption("--format"))
        {
            // Re-published frames go out as they were recorded and the summary is JSON either way.
            throw new CliException(CliException.USAGE, "--format applies only when printing updates, not with " +
                "--publish");
        }
        for (final String flag : SOCKET_FLAGS)
        {
            if (!publishing && typed.hasMatchedOption(flag))
            {
                throw new CliException(CliException.USAGE, flag + " needs --publish ENDPOINT");
            }
        }
    }

    /**
     * Parses {@code --speed}, or takes the mode's default when it was not given.
     *
     * @param given      the value, or null if neither the command line nor a config file gave one.
     * @param publishing whether the replay goes to a socket.
     * @return the factor of the recorded pace, 0 for flat out.
     * @throws CliException (usage) if the value is not a speed.
     */
    static double speed(final String given, final boolean publishing)
    {
        final String text = given != null ? given : publishing ? PUBLISH_SPEED : PRINT_SPEED;
        if ("max".equalsIgnoreCase(text.trim()))
        {
            return 0;
        }
        try
        {
            final double value = Double.parseDouble(text.trim());
            if (ReplaySpeed.isValid(value))
            {
                return value;
            }
            if (ReplaySpeed.isTooSlow(value))
            {
                throw new CliException(CliException.USAGE, "--speed must be at least " + ReplaySpeed.MIN_SPEED_TEXT +
                    " or max; was '" + text + "'");
            }
        }
        catch (final NumberFormatException ex)
        {
            // Falls through to the message below.
        }
        throw new CliException(CliException.USAGE, "--speed must be 1 (recorded pace), a positive factor N, or " +
            "max; was '" + text + "'");
    }
}
