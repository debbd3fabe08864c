package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.csv.RecordingSink.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several inputs merged in time order: three files whose timestamps interleave (with ties across files), given
 * one by one or as a glob, one of them gzip-compressed and read ahead on the reader thread; and an input that is
 * late (a pipe), which the merge must wait for because its next tick may be the earliest.
 */
@Timeout(60)
class CsvMergeTest
{
    private static final long BASE_NS = 1_767_312_000_000_000_000L;
    private static final String[] SYMBOLS = {"EURUSD", "GBPUSD", "USDJPY"};

    @TempDir
    Path dir;

    private final InstrumentRegistry registry = new InstrumentRegistry();

    /** One tick as written: which file, its line, its time and its bid in units of 1e-5. */
    private record Tick(int file, int line, long timestampNs, long bid)
    {
    }

    private static String line(final Tick tick)
    {
        // Dukascopy's layout (no symbol column): time, ask, bid, ask volume, bid volume.
        final long ms = (tick.timestampNs - BASE_NS) / 1_000_000L;
        return String.format("2026.01.02 %02d:%02d:%02d.%03d,%d.%05d,%d.%05d,%d,%d", ms / 3_600_000,
            ms / 60_000 % 60, ms / 1000 % 60, ms % 1000, tick.bid / 100_000 + 1, tick.bid % 100_000,
            tick.bid / 100_000, tick.bid % 100_000, tick.file, tick.line);
    }

    private List<Tick> writeInterleavedFiles(final long seed, final int lines, final boolean gzipSecond)
        throws IOException
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Tick> all = new ArrayList<>();
        for (int file = 0; file < SYMBOLS.length; file++)
        {
            final List<String> text = new ArrayList<>();
            text.add("Time (UTC),Ask,Bid,AskVolume,BidVolume");
            long timestamp = BASE_NS;
            for (int line = 0; line < lines; line++)
            {
                // Steps of 0 to 3 ms: the files interleave, and equal times across (and within) files are common.
                timestamp += random.nextInt(4) * 1_000_000L;
                final Tick tick = new Tick(file, line, timestamp, random.nextLong(100_000, 200_000));
                all.add(tick);
                text.add(line(tick));
            }
            final byte[] content = (String.join("\n", text) + "\n").getBytes(StandardCharsets.US_ASCII);
            final String name = SYMBOLS[file] + "_Ticks_2026.01.02.csv";
            if (file == 1 && gzipSecond)
            {
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(name + ".gz"))))
                {
                    out.write(content);
                }
            }
            else
            {
                Files.write(dir.resolve(name), content);
            }
        }
        return all;
    }

    private CsvConfiguration.Builder dukascopy(final List<String> files)
    {
        return CsvConfiguration.builder().format(CsvFormat.DUKASCOPY).files(files)
            .symbolFromName(CsvConfiguration.DEFAULT_SYMBOL_PATTERN).sizeScale(1L).speed(CsvConfiguration.MAX_SPEED);
    }

    /** What the merge must give: every tick, by time, ties in the order the files were given, then by line. */
    private static List<Update> expected(final List<Tick> ticks, final int[] instrumentIdOfFile)
    {
        return ticks.stream()
            .sorted(Comparator.comparingLong(Tick::timestampNs).thenComparingInt(Tick::file)
                .thenComparingInt(Tick::line))
            .map(t -> Update.quote(instrumentIdOfFile[t.file], t.bid * 10_000, t.line, (t.bid + 100_000) * 10_000,
                t.file, t.timestampNs))
            .toList();
    }

    @Test
    void shouldMergeThreeInterleavedFilesInTimeOrderWithNothingLostOrRepeated() throws IOException
    {
        final long seed = Long.getLong("csv.seed", System.nanoTime());
        System.out.println("CsvMergeTest seed: " + seed + " (rerun with -Dcsv.seed=" + seed + ")");
        final List<Tick> ticks = writeInterleavedFiles(seed, 5_000, true);
        final List<String> files = List.of(
            dir.resolve("EURUSD_Ticks_2026.01.02.csv").toString(),
            dir.resolve("GBPUSD_Ticks_2026.01.02.csv.gz").toString(),
            dir.resolve("USDJPY_Ticks_2026.01.02.csv").toString());
        // A small read buffer: lines cross refills all the time.
        final CsvConfiguration configuration = dukascopy(files).bufferBytes(64).build();

        final List<Update> updates = CsvFiles.replay(configuration, registry);

        assertThat(registry.instruments()).extracting(i -> i.symbol()).as("seed %d", seed)
            .containsExactly(SYMBOLS);
        assertThat(updates).as("seed %d", seed).hasSize(3 * 5_000).isEqualTo(expected(ticks, new int[] {0, 1, 2}));
    }

    @Test
    void shouldMergeTheFilesOfAGlobInNameOrder() throws IOException
    {
        final long seed = Long.getLong("csv.seed", System.nanoTime());
        System.out.println("CsvMergeTest seed: " + seed + " (rerun with -Dcsv.seed=" + seed + ")");
        final List<Tick> ticks = writeInterleavedFiles(seed, 500, false);
        Files.writeString(dir.resolve("notes.txt"), "not a tick file\n");
        // Given in reverse order, plus one by name: the glob still expands in name order, ties follow it.
        final List<String> files = List.of(dir.resolve("USD*.csv").toString(), dir.resolve("[EG]*_Ticks_*.csv")
            .toString());

        final List<Update> updates = CsvFiles.replay(dukascopy(files).build(), registry);

        // USDJPY (file 2) is given first, so it gets id 0 and wins ties; then EURUSD, GBPUSD.
        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("USDJPY", "EURUSD", "GBPUSD");
        final List<Tick> reordered = ticks.stream()
            .map(t -> new Tick(t.file == 2 ? 0 : t.file + 1, t.line, t.timestampNs, t.bid)).toList();
        final List<Update> expected = expected(reordered, new int[] {0, 1, 2}).stream()
            .map(u -> Update.quote(u.instrumentId(), u.bidPrice(), u.bidSize(), u.askPrice(),
                u.instrumentId() == 0 ? 2 : u.instrumentId() - 1, u.timestampNs()))
            .toList();
        assertThat(updates).as("seed %d", seed).isEqualTo(expected);
    }

    @Test
    void shouldWaitForALateInputBeforeHandingOverLaterTicksOfTheOthers() throws IOException
    {
        final Path file = CsvFiles.lines(dir, "EURUSD.csv",
            "20260101 190000001,1.10001,1.10002,0",
            "20260101 190000003,1.10003,1.10004,0");
        final PipedOutputStream writer = new PipedOutputStream();
        final PipedInputStream pipe = new PipedInputStream(writer, 1 << 16);
        final CsvConfiguration configuration = CsvConfiguration.builder().format(CsvFormat.HISTDATA)
            .files(List.of(file.toString(), CsvConfiguration.STDIN)).symbol("X").speed(CsvConfiguration.MAX_SPEED)
            .build();
        final RecordingSink sink = new RecordingSink();
        try (CsvSource source = new CsvSource(configuration, registry, pipe))
        {
            // The pipe has said nothing: its first tick could be the earliest, so nothing is due, and poll returns.
            assertThat(source.poll(sink, 100, 0)).isZero();
            assertThat(source.isExhausted()).isFalse();

            writer.write("20260101 190000000,1.20000,1.20001,0\n".getBytes(StandardCharsets.US_ASCII));
            writer.flush();
            await().until(() -> pollAll(source, sink) >= 0 && !sink.updates.isEmpty());
            // The pipe's tick (0 ms) is the earliest; the file's (1 ms) must wait for the pipe's next line.
            assertThat(sink.updates).extracting(Update::timestampNs).containsExactly(BASE_NS);
            assertThat(source.poll(sink, 100, 0)).isZero();

            writer.write("20260101 190000002,1.20002,1.20003,0\n".getBytes(StandardCharsets.US_ASCII));
            writer.close();
            await().until(() -> pollAll(source, sink) >= 0 && source.isExhausted());
            assertThat(sink.updates).extracting(Update::timestampNs).containsExactly(BASE_NS, BASE_NS + 1_000_000,
                BASE_NS + 2_000_000, BASE_NS + 3_000_000);
            assertThat(source.statistics()).containsEntry("files", 2).containsEntry("linesRead", 4L)
                .doesNotContainKey("file");
        }
    }

    private static int pollAll(final CsvSource source, final RecordingSink sink)
    {
        return source.poll(sink, 100, 0);
    }
}
