package dev.feedhandler.cli;

import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.options.FeedVersion;
import dev.feedhandler.cli.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code feed compare}: reads the JSON summaries (last line of each file) of a publisher and its subscribers and
 * says, per subscriber and topic, whether the subscriber received exactly what the publisher published on the
 * topics its prefixes match, with no unrecoverable loss (a gap the recovery service filled is none) and no decode
 * error. Exit status 0 only when every figure agrees.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    versionProvider = FeedVersion.class,
    description = {
        "Compare the JSON summaries of a publisher and its subscribers, per topic.",
        "Exit status 0 when every subscriber received exactly what was published on its topics, 1 when not, 2 " +
            "when a file is missing or is not a summary."
    })
public final class CompareCommand implements Callable<Integer>
{
    @Option(names = "--publisher", paramLabel = "FILE", required = true,
        description = "Output of feed publish (its last line is the JSON summary).")
    Path publisher;

    @Option(names = "--subscriber", paramLabel = "FILE[=PREFIX,...]", required = true,
        description = "Output of feed subscribe, repeatable; =PREFIX,... gives its topic prefixes (default: all).")
    List<String> subscribers = new ArrayList<>();

    private final PrintStream out;

    /**
     * A command printing to stdout.
     */
    public CompareCommand()
    {
        this(System.out);
    }

    /**
     * A command printing to the given stream (tests).
     *
     * @param out where the verdict goes.
     */
    public CompareCommand(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Integer call()
    {
        final Map<String, Object> published = summary(publisher, "publish", "published");
        final Map<String, Long> publishedTopics = longs(published, "topics", publisher);
        boolean allAgree = true;
        for (final String spec : subscribers)
        {
            final int eq = spec.lastIndexOf('=');
            final Path file = Path.of(eq < 0 ? spec : spec.substring(0, eq));
            final List<String> prefixes = eq < 0 || spec.substring(eq + 1).isEmpty() ?
                List.of("") : Arrays.asList(spec.substring(eq + 1).split(","));
            allAgree &= compare(file, prefixes, publishedTopics);
        }
        out.println(allAgree ? "VERDICT: OK - every subscriber received exactly what was published on its topics" :
            "VERDICT: MISMATCH - see the lines above");
        out.flush();
        return allAgree ? 0 : 1;
    }

    private boolean compare(final Path file, final List<String> prefixes, final Map<String, Long> publishedTopics)
    {
        final Map<String, Object> summary = summary(file, "subscribe", "received");
        final Map<String, Long> received = longs(summary, "topics", file);
        // A conflating subscriber gets some updates merged into later ones (or counted): they are accounted for, not
        // lost. Trades it dropped past its bound are accounted for too, and counted below as lost.
        final Map<String, Long> merged = summary.containsKey("conflatedByTopic") ?
            longs(summary, "conflatedByTopic", file) : Map.of();
        final Map<String, Long> dropped = summary.containsKey("tradesDroppedByTopic") ?
            longs(summary, "tradesDroppedByTopic", file) : Map.of();
        final TreeSet<String> names = new TreeSet<>(received.keySet());
        publishedTopics.keySet().stream().filter(t -> matches(t, prefixes)).forEach(names::add);

        boolean agree = true;
        long expectedTotal = 0;
        long receivedTotal = 0;
        long mergedTotal = 0;
        final StringBuilder mismatches = new StringBuilder();
        for (final String topic : names)
        {
            final long expected = matches(topic, prefixes) ? publishedTopics.getOrDefault(topic, 0L) : 0L;
            final long delivered = received.getOrDefault(topic, 0L);
            final long conflated = merged.getOrDefault(topic, 0L);
            final long got = delivered + conflated + dropped.getOrDefault(topic, 0L);
            expectedTotal += expected;
            receivedTotal += delivered;
            mergedTotal += conflated;
            if (expected != got)
            {
                agree = false;
                mismatches.append(String.format("    %-10s published %d, received %d%s%s%n", topic, expected,
                    delivered, conflated > 0 ? " and " + conflated + " merged" : "",
                    matches(topic, prefixes) ? "" : " (not subscribed)"));
            }
        }
        final long gaps = number(summary, "gapsDetected", file);
        // A gap that was recovered is no loss; a summary without recovery figures counts every gap as one.
        final long lost = summary.containsKey("unrecoverable") ? number(summary, "unrecoverable", file) : gaps;
        final long decodeErrors = number(summary, "decodeErrors", file);
        final long tradesDropped = number(summary, "tradesDropped", file);
        agree &= lost == 0 && decodeErrors == 0 && tradesDropped == 0;
        out.printf("%s %s [%s]: %d topics, received %d of %d updates%s, gaps %d (recovered %d updates, lost %d), " +
            "decode errors %d%s%n",
            agree ? "OK      " : "MISMATCH", file.getFileName(), String.join(",", prefixes).isEmpty() ? "all" :
            String.join(",", prefixes), names.size(), receivedTotal, expectedTotal,
            mergedTotal > 0 ? " (" + mergedTotal + " more merged by conflation)" : "", gaps,
            number(summary, "recovered", file), lost, decodeErrors,
            tradesDropped > 0 ? ", trades dropped " + tradesDropped : "");
        out.print(mismatches);
        return agree;
    }

    private static boolean matches(final String topic, final List<String> prefixes)
    {
        for (final String prefix : prefixes)
        {
            if (topic.startsWith(prefix))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The summary on the last line of a file, which must be one of the given command ({@code key} present). Every
     * problem with a file is exit status 2, so that a script can tell bad input from a verdict (1).
     */
    private static Map<String, Object> summary(final Path file, final String command, final String key)
    {
        final Map<String, Object> summary = lastJsonLine(file);
        if (!summary.containsKey(key) || !(summary.get("topics") instanceof Map))
        {
            throw new CliException(CliException.USAGE, file + ": not a feed " + command + " summary (no \"" +
                (summary.containsKey(key) ? "topics" : key) + "\")");
        }
        return summary;
    }

    private static Map<String, Object> lastJsonLine(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new CliException(CliException.USAGE, "cannot read " + file + ": no such file");
        }
        catch (final MalformedInputException ex)
        {
            throw new CliException(CliException.USAGE, "cannot read " + file + ": not UTF-8 text");
        }
        catch (final IOException ex)
        {
            throw new CliException(CliException.USAGE, "cannot read " + file + ": " + ex.getMessage());
        }
        for (int i = lines.size() - 1; i >= 0; i--)
        {
            final String line = lines.get(i).trim();
            if (!line.isEmpty())
            {
                try
                {
                    return Json.parseObject(line);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new CliException(CliException.USAGE,
                        file + ": last line is not a JSON summary (" + ex.getMessage() + ")");
                }
            }
        }
        throw new CliException(CliException.USAGE, file + ": empty, no JSON summary");
    }

    /** An object of counts by name; absent is empty. */
    private static Map<String, Long> longs(final Map<String, Object> summary, final String key, final Path file)
    {
        final Object value = summary.get(key);
        if (value != null && !(value instanceof Map))
        {
            throw new CliException(CliException.USAGE, file + ": \"" + key + "\" is not an object: " + value);
        }
        final Map<String, Long> map = new TreeMap<>();
        if (value != null)
        {
            ((Map<?, ?>)value).forEach((k, v) -> map.put(String.valueOf(k), count(v, key + "." + k, file)));
        }
        return map;
    }

    /** A count; absent is 0 (summaries of older versions lack some). */
    private static long number(final Map<String, Object> summary, final String key, final Path file)
    {
        return summary.containsKey(key) ? count(summary.get(key), key, file) : 0L;
    }

    private static long count(final Object value, final String name, final Path file)
    {
        if (!(value instanceof Number))
        {
            throw new CliException(CliException.USAGE, file + ": \"" + name + "\" is not a number: " + value);
        }
        return ((Number)value).longValue();
    }
}
