package dev.feedhandler.cli.publish;

import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.options.Durations;
import picocli.CommandLine.ParseResult;

import java.time.Duration;

/**
 * The rules on {@code feed publish}'s flags that picocli cannot check alone, each a usage error before anything is
 * opened: a flag the chosen source or a missing journal would ignore, and the conflated stream's interval.
 */
final class PublishFlags
{
    private static final String[] SYNTHETIC_FLAGS =
        {"--instruments", "--rate", "--seed", "--trade-ratio", "--burst-size", "--burst-every"};
    private static final String[] CSV_FLAGS = {"--file", "--format", "--symbol", "--symbol-from-name",
        "--zip-entries", "--size-scale", "--columns", "--time-pattern", "--time-zone", "--epoch-unit", "--delimiter",
        "--speed", "--on-bad-line"};
    private static final String[] JOURNAL_FLAGS = {"--journal-roll", "--journal-keep", "--journal-full",
        "--journal-ring", "--journal-cached"};

    private PublishFlags()
    {
    }

    /**
     * The conflated stream's options: an interval only with an endpoint, and a valid one.
     *
     * @param typed         the flags typed, or null when the command runs without a command line (tests).
     * @param conflatedBind whether {@code --conflated-bind} names an endpoint.
     * @param interval      {@code --conflate-interval}.
     */
    static void checkConflation(final ParseResult typed, final boolean conflatedBind, final Duration interval)
    {
        if (!conflatedBind && typed != null && typed.hasMatchedOption("--conflate-interval"))
        {
            throw new CliException(CliException.USAGE, "--conflate-interval needs --conflated-bind ENDPOINT");
        }
        if (interval.toMillis() < 1)
        {
            throw new CliException(CliException.USAGE, "--conflate-interval must be at least 1ms, was " +
                Durations.format(interval));
        }
    }

    /**
     * A flag typed for a source that is not the one chosen, or a journal flag without a journal, would be ignored:
     * {@code --file ticks.csv} without {@code --source csv} published synthetic prices without a word. Values from a
     * {@code --config} file are not typed flags and are not checked.
     *
     * @param typed   the flags typed, or null when the command runs without a command line (tests).
     * @param source  the chosen source.
     * @param journal whether {@code --journal} is given.
     */
    static void checkApply(final ParseResult typed, final PublishCommand.SourceKind source, final boolean journal)
    {
        if (typed == null)
        {
            return;
        }
        final String[] other = source == PublishCommand.SourceKind.csv ? SYNTHETIC_FLAGS : CSV_FLAGS;
        for (final String flag : other)
        {
            if (typed.hasMatchedOption(flag))
            {
                throw new CliException(CliException.USAGE, source == PublishCommand.SourceKind.csv ?
                    flag + " applies to the synthetic source, not to --source csv (a tick file keeps its recorded " +
                    "pace: --speed)" : flag + " applies to --source csv (the default source is synthetic): add " +
                    "--source csv");
            }
        }
        for (final String flag : JOURNAL_FLAGS)
        {
            if (!journal && typed.hasMatchedOption(flag))
            {
                throw new CliException(CliException.USAGE, flag + " needs --journal DIR");
            }
        }
    }
}
