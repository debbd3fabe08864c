package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.InstrumentRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test helpers: write a tick file, replay it flat out.
 */
final class CsvFiles
{
    /** How long a replay may take before it is declared stuck. */
    private static final long MAX_REPLAY_NS = 20_000_000_000L;

    private CsvFiles()
    {
    }

    static Path write(final Path directory, final String name, final String content)
    {
        try
        {
            return Files.write(directory.resolve(name), content.getBytes(StandardCharsets.ISO_8859_1));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static Path lines(final Path directory, final String name, final String... lines)
    {
        return write(directory, name, String.join("\n", lines) + "\n");
    }

    /**
     * Polls a source until it is exhausted, with a fixed clock (so only flat-out sources finish). A poll that hands
     * over nothing (an input read ahead has not delivered yet) yields the processor before the next.
     */
    static List<RecordingSink.Update> drain(final CsvSource source, final RecordingSink sink)
    {
        final long deadline = System.nanoTime() + MAX_REPLAY_NS;
        while (!source.isExhausted())
        {
            if (source.poll(sink, 1024, 0) == 0)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new AssertionError("source not exhausted after " + MAX_REPLAY_NS / 1_000_000 + " ms");
                }
                Thread.yield();
            }
        }
        return sink.updates;
    }

    /**
     * Replays a file with the given settings flat out and returns what it handed over.
     */
    static List<RecordingSink.Update> replay(final CsvConfiguration configuration, final InstrumentRegistry registry)
    {
        try (CsvSource source = new CsvSource(configuration.withSpeed(CsvConfiguration.MAX_SPEED), registry))
        {
            return drain(source, new RecordingSink());
        }
    }
}
