package dev.feedhandler.cli.stat;

import dev.feedhandler.common.counters.CountersFileException;
import dev.feedhandler.common.counters.CountersFileReader;
import org.agrona.concurrent.status.CountersReader;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What {@code feed stat} prints: a counters file's header, its counters (one line each: id, value, label), its
 * error log, or a one-line description for the listing.
 */
final class StatView
{
    /** ANSI: cursor home, clear screen. */
    private static final String CLEAR = "\u001b[H\u001b[2J";

    private StatView()
    {
    }

    /**
     * Prints the header and every counter.
     *
     * @param out    where.
     * @param reader the file.
     * @param clear  clear the terminal first (a live view on a console).
     */
    static void print(final PrintStream out, final CountersFileReader reader, final boolean clear)
    {
        if (clear)
        {
            out.print(CLEAR);
        }
        final CountersFileReader.Header header = reader.header();
        final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        out.println(header.name() + " (" + header.role() + ", pid " + header.pid() + ") up " +
            uptime(Duration.ofMillis(System.currentTimeMillis() - header.createdMs())) + ", at " + now);
        out.println("  " + header.description());
        out.println("  " + reader.file());
        out.printf("%5s %20s  %s%n", "id", "value", "label");
        final CountersReader counters = reader.counters();
        counters.forEach((counterId, typeId, keyBuffer, label) ->
            out.printf("%5d %20d  %s%n", counterId, counters.getCounterValue(counterId), label));
    }

    /**
     * Prints the distinct errors of the error log, Aeron's ErrorStat style.
     *
     * @param out    where.
     * @param reader the file.
     * @return how many distinct errors.
     */
    static int printErrors(final PrintStream out, final CountersFileReader reader)
    {
        final CountersFileReader.Header header = reader.header();
        final String stale = header.whyStale();
        final StringBuilder text = new StringBuilder();
        final int distinct = reader.readErrors((count, firstMs, lastMs, encoded) ->
            text.append(System.lineSeparator())
                .append(count).append(count == 1 ? " observation at " : " observations from ")
                .append(Instant.ofEpochMilli(firstMs))
                .append(count == 1 ? "" : " to " + Instant.ofEpochMilli(lastMs))
                .append(":").append(System.lineSeparator())
                .append(encoded.stripTrailing()).append(System.lineSeparator()));
        out.println(distinct + " distinct error" + (distinct == 1 ? "" : "s") + " recorded by " + header.name() +
            " (" + header.role() + ", pid " + header.pid() + (stale == null ? "" : ", stale: " + stale) + ")");
        out.print(text);
        return distinct;
    }

    /**
     * One line about a counters file: name, role, pid, running or stale, since when, path.
     *
     * @param file the file.
     * @return the line.
     */
    static String describe(final Path file)
    {
        try (CountersFileReader reader = CountersFileReader.open(file, false))
        {
            final CountersFileReader.Header header = reader.header();
            final String stale = header.whyStale();
            return String.format("%-24s %-10s pid %-8d %-8s since %s  %s%s", header.name(), header.role(),
                header.pid(), stale == null ? "running" : "STALE", Instant.ofEpochMilli(header.createdMs())
                    .truncatedTo(ChronoUnit.SECONDS), file, stale == null ? "" : " (" + stale +
                    ": left behind by a crash; remove it)");
        }
        catch (final CountersFileException ex)
        {
            return ex.getMessage();
        }
    }

    private static String uptime(final Duration duration)
    {
        final long seconds = Math.max(0, duration.getSeconds());
        if (seconds < 60)
        {
            return seconds + "s";
        }
        if (seconds < 3600)
        {
            return seconds / 60 + "m" + seconds % 60 + "s";
        }
        return seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
    }
}
