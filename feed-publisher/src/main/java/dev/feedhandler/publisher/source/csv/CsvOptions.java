package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.PriceSource;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Command-line options of the {@code csv} source (a picocli mixin of {@code feed publish}).
 */
public final class CsvOptions
{
    @Option(names = "--file", paramLabel = "PATH", description = "Tick file to replay (--source csv).")
    Path file;

    /**
     * Creates the source from the options.
     *
     * @param registry   where instruments are registered as they appear.
     * @param clock      epoch clock.
     * @param maxUpdates stop after this many updates, 0 for the whole file.
     * @return the source.
     * @throws IllegalArgumentException with a one-line message for bad options or an unreadable file.
     */
    public PriceSource create(final InstrumentRegistry registry, final WallClock clock, final long maxUpdates)
    {
        throw new IllegalArgumentException("the csv source is not available yet");
    }
}
