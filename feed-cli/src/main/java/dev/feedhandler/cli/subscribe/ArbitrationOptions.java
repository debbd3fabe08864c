package dev.feedhandler.cli.subscribe;

import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.options.Durations;
import dev.feedhandler.subscriber.FeedSubscriber;
import dev.feedhandler.subscriber.SubscriberBuilder;
import dev.feedhandler.subscriber.SubscriberConfiguration;
import dev.feedhandler.subscriber.sequence.LineArbiter;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The identical-lines flags of {@code feed subscribe} (a picocli mixin): {@code --arbitrate} and
 * {@code --arbitration-window}, and what a run reports of the lines (the summary's {@code lines}, and the one-line
 * error that ends a run whose lines turned out not to be the same feed).
 */
public final class ArbitrationOptions
{
    /** How often the wait for a stop looks whether identical lines turned out not to be one feed. */
    static final long MISMATCH_CHECK_NS = 100_000_000L;

    @Option(names = "--arbitrate",
        description = "The --connect endpoints are identical lines of one feed (publishers started with the same " +
            "--feed-id, --feed-start and source): take each update once, from whichever line brings it first; a " +
            "gap on one line waits for the other(s) before it is recovered.")
    boolean arbitrate;

    @Option(names = "--arbitration-window", paramLabel = "DURATION", converter = Durations.class,
        description = "With --arbitrate, how long a gap on one line waits at least for another line before it is " +
            "recovered (default: " + SubscriberConfiguration.DEFAULT_ARBITRATION_WINDOW_MS + "ms); longer while a " +
            "line lags more, twice its recent lag, up to three heartbeat intervals.")
    Duration window;

    /**
     * Checks the flags against the endpoints, before recovery is set up.
     *
     * @param endpoints the feed endpoints.
     * @throws CliException (usage) with a one-line message.
     */
    void validate(final List<String> endpoints)
    {
        if (arbitrate && endpoints.size() < 2)
        {
            throw new CliException(CliException.USAGE, "--arbitrate needs two --connect endpoints or more, one per " +
                "line");
        }
        if (window != null && !arbitrate)
        {
            throw new CliException(CliException.USAGE, "--arbitration-window needs --arbitrate");
        }
    }

    /**
     * Applies the flags to a subscriber's settings.
     *
     * @param builder          the settings.
     * @param recoveryEndpoint the recovery endpoint in use, or null without recovery.
     * @throws CliException (usage) when arbitrating without recovery.
     */
    void apply(final SubscriberBuilder builder, final String recoveryEndpoint)
    {
        if (!arbitrate)
        {
            return;
        }
        if (recoveryEndpoint == null)
        {
            throw new CliException(CliException.USAGE, "--arbitrate needs recovery (it holds what follows a gap " +
                "while it waits for the other line): drop --no-recovery");
        }
        builder.arbitrate(true);
        if (window != null)
        {
            builder.arbitrationWindowMs(window.toMillis());
        }
    }

    /**
     * Why the lines are not one feed, if they turned out not to be.
     *
     * @param subscriber the subscriber.
     * @return the one-line reason, or null (also when not arbitrating).
     */
    static String mismatch(final FeedSubscriber subscriber)
    {
        final LineArbiter arbiter = subscriber.lineArbiter();
        return arbiter == null ? null : arbiter.mismatch();
    }

    /**
     * Ends the run with exit status 1 and the one-line reason if the lines turned out not to be one feed.
     *
     * @param subscriber the stopped subscriber.
     * @throws CliException (failure) with the reason.
     */
    static void failOnMismatch(final FeedSubscriber subscriber)
    {
        final String mismatch = mismatch(subscriber);
        if (mismatch != null)
        {
            throw new CliException(CliException.FAILURE, mismatch);
        }
    }

    /**
     * Each line's part of the summary.
     *
     * @param arbiter the lines' arbiter, or null when not arbitrating.
     * @return the lines, or null when not arbitrating.
     */
    static List<SubscribeSummary.Line> lines(final LineArbiter arbiter)
    {
        if (arbiter == null)
        {
            return null;
        }
        final List<SubscribeSummary.Line> lines = new ArrayList<>();
        for (int i = 0; i < arbiter.lines(); i++)
        {
            lines.add(new SubscribeSummary.Line(String.valueOf(i + 1), arbiter.name(i), arbiter.won(i),
                arbiter.late(i), arbiter.mismatched(i), arbiter.lagNs(i, 50) / 1000, arbiter.lagNs(i, 99) / 1000,
                arbiter.downEvents(i), arbiter.upEvents(i), arbiter.isDown(i), arbiter.sessionEpoch(i),
                arbiter.otherSession(i), arbiter.repeated(i)));
        }
        return lines;
    }
}
