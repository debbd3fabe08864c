package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.source.PriceSource;
import dev.feedhandler.publisher.source.UpdateSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Replays tick files (see {@code docs/csv-format.md}): at recorded pace, at a multiple of it, or flat out. Several
 * inputs (files, glob matches, zip entries, standard input) are merged in time order by a streaming k-way merge:
 * a binary heap holds each input's next tick, so memory depends on the number of inputs, not their size; ties go
 * to the input given first. Each update keeps its file's timestamp as its source timestamp. The first update is
 * due at the first {@link #poll}; each next one when {@code (timestamp - first timestamp) / speed} has elapsed
 * since, so a timestamp that goes back is simply due at once. A malformed line either stops the source with a
 * {@link PriceSource.SourceException} naming input and line, or is counted, logged (the first few) and skipped.
 * <p>
 * Reading and parsing work on bytes in reused buffers and allocate nothing per line on valid input (except with a
 * {@code --time-pattern} that needs {@link java.time.format.DateTimeFormatter}, and when an instrument is seen for
 * the first time). Inputs are read (and inflated) ahead on reader threads, and {@link #poll} never waits: when an
 * input has not delivered its next line yet, it hands over nothing, since that line may be the earliest.
 * Single-threaded: the publisher's thread.
 */
public final class CsvSource implements PriceSource
{
    private static final Logger LOG = LoggerFactory.getLogger(CsvSource.class);
    private static final int MAX_NAMES_LOGGED = 5;

    private final CsvInputs opened;
    private final TickInput[] inputs;
    private final String fileName;
    private final BadLines badLines;
    private final boolean paced;
    private final double speed;
    private final long maxUpdates;

    /** Indexes of the inputs that have a tick, a min-heap by (timestamp, index). */
    private final int[] heap;
    private int heapSize;
    /** Inputs [0, started) have been asked for their first tick. */
    private int started;
    /** The input whose tick was just emitted and must advance, or -1. */
    private int advancing = -1;

    private long[] lastTradeIds = new long[16];
    private boolean polled;
    private boolean anchored;
    private long anchorEpochNs;
    private long startNs;
    private boolean haveFirstTimestamp;
    private long firstTimestampNs;
    private boolean pending;
    private long pendingDueNs;
    private boolean endOfInput;
    private long emitted;
    private boolean closed;

    /**
     * Opens every input and reads the headers of those that have one; {@code --file -} reads {@link System#in}.
     *
     * @param configuration settings.
     * @param registry      where instruments are registered as they are first read.
     * @throws IllegalArgumentException with a one-line message naming the file or flag: a file is missing or
     *                                  unreadable, a column unknown or missing, the time pattern invalid.
     */
    public CsvSource(final CsvConfiguration configuration, final InstrumentRegistry registry)
    {
        this(configuration, registry, System.in);
    }

    /**
     * Opens every input, with {@code --file -} reading the given stream.
     *
     * @param configuration settings.
     * @param registry      where instruments are registered as they are first read.
     * @param stdin         what {@code --file -} reads; closed with the source.
     * @throws IllegalArgumentException with a one-line message naming the file or flag.
     */
    public CsvSource(final CsvConfiguration configuration, final InstrumentRegistry registry, final InputStream stdin)
    {
        this.speed = configuration.speed();
        this.paced = speed != CsvConfiguration.MAX_SPEED;
        this.maxUpdates = configuration.maxUpdates();
        this.badLines = new BadLines(configuration.onBadLine() == CsvConfiguration.OnBadLine.FAIL);

        final TimestampParser timestamps = TimestampParser.create(
            configuration.timePattern(), configuration.timeZone(), configuration.epochUnit());
        if (timestamps.allocates())
        {
            LOG.info("--time-pattern '{}' is read with java.time's DateTimeFormatter, which allocates per line",
                configuration.timePattern());
        }
        final boolean namedSymbol = configuration.symbol() != null || configuration.symbolFromName() != null;
        final ColumnLayout layout = configuration.columns() == null ? null :
            ColumnLayout.of(configuration.columns(), "--columns", namedSymbol);
        final SymbolTable symbols = new SymbolTable(registry, configuration.normalizeSymbols());

        opened = CsvInputs.open(configuration, stdin);
        final List<CsvInputs.Input> list = opened.inputs();
        inputs = new TickInput[list.size()];
        try
        {
            for (int i = 0; i < inputs.length; i++)
            {
                inputs[i] = new TickInput(list.get(i), configuration, layout, timestamps, symbols, badLines);
            }
        }
        catch (final RuntimeException ex)
        {
            closeInputs();
            throw ex;
        }
        heap = new int[inputs.length];
        fileName = inputs.length == 1 ? inputs[0].name() : null;
        final String pace = paced ? (speed == 1 ? "at recorded pace" : "at " + speed + " times recorded pace") :
            "flat out";
        if (fileName != null)
        {
            LOG.info("replaying {} {}", fileName, pace);
        }
        else
        {
            LOG.info("replaying {} inputs merged in time order ({}{}) {}", inputs.length,
                Arrays.stream(inputs).limit(MAX_NAMES_LOGGED).map(TickInput::name).collect(Collectors.joining(", ")),
                inputs.length > MAX_NAMES_LOGGED ? ", ..." : "", pace);
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * Paced, the first tick is due at the anchor, and each next one its recorded time later (divided by the speed).
     */
    @Override
    public boolean anchor(final long startEpochNs)
    {
        if (!paced || polled)
        {
            return false;
        }
        anchored = true;
        anchorEpochNs = startEpochNs;
        return true;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int poll(final UpdateSink sink, final int limit, final long nowNs)
    {
        if (!polled)
        {
            polled = true;
            startNs = anchored ? nowNs - (WallClock.shared().toEpochNanos(nowNs) - anchorEpochNs) : nowNs;
        }
        int budget = limit;
        if (maxUpdates > 0)
        {
            budget = (int)Math.min(budget, maxUpdates - emitted);
        }
        final long elapsedNs = nowNs - startNs;
        int count = 0;
        while (count < budget)
        {
            if (!pending && !nextTick())
            {
                break;
            }
            if (paced && elapsedNs < pendingDueNs)
            {
                break;
            }
            emit(sink, inputs[heap[0]].tick());
            advancing = heap[0];
            pending = false;
            emitted++;
            count++;
        }
        return count;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Paced, with the next tick read: its recorded time (divided by the speed) after the start.
     */
    @Override
    public long nextUpdateNs(final long nowNs)
    {
        return paced && polled && pending ? startNs + pendingDueNs : nowNs;
    }

    /** Puts the earliest tick of all inputs at the top of the heap; false if there is none yet, or no more. */
    private boolean nextTick()
    {
        if (endOfInput || closed)
        {
            return false;
        }
        if (advancing >= 0)
        {
            final int result = inputs[advancing].advance();
            if (result == TickInput.NOT_YET)
            {
                return false;
            }
            if (result == TickInput.TICK)
            {
                siftDown(0);
            }
            else
            {
                heap[0] = heap[--heapSize];
                siftDown(0);
            }
            advancing = -1;
        }
        while (started < inputs.length)
        {
            final int result = inputs[started].advance();
            if (result == TickInput.NOT_YET)
            {
                return false;
            }
            if (result == TickInput.TICK)
            {
                heap[heapSize] = started;
                siftUp(heapSize++);
            }
            started++;
        }
        if (heapSize == 0)
        {
            endOfInput = true;
            return false;
        }
        schedule(inputs[heap[0]].tick().timestampNs());
        pending = true;
        return true;
    }

    private boolean before(final int a, final int b)
    {
        final long ta = inputs[a].tick().timestampNs();
        final long tb = inputs[b].tick().timestampNs();
        return ta < tb || (ta == tb && a < b);
    }

    private void siftUp(final int from)
    {
        final int[] heap = this.heap;
        int child = from;
        final int value = heap[child];
        while (child > 0)
        {
            final int parent = (child - 1) >>> 1;
            if (!before(value, heap[parent]))
            {
                break;
            }
            heap[child] = heap[parent];
            child = parent;
        }
        heap[child] = value;
    }

    private void siftDown(final int from)
    {
        final int[] heap = this.heap;
        final int size = heapSize;
        if (from >= size)
        {
            return;
        }
        int parent = from;
        final int value = heap[parent];
        while (true)
        {
            int child = 2 * parent + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child]))
            {
                child++;
            }
            if (!before(heap[child], value))
            {
                break;
            }
            heap[parent] = heap[child];
            parent = child;
        }
        heap[parent] = value;
    }

    private void emit(final UpdateSink sink, final TickParser tick)
    {
        final int id = tick.instrumentId();
        if (tick.trade())
        {
            if (id >= lastTradeIds.length)
            {
                lastTradeIds = Arrays.copyOf(lastTradeIds, Math.max(id + 1, lastTradeIds.length * 2));
            }
            long tradeId = tick.tradeId();
            if (tradeId == TickParser.NO_TRADE_ID)
            {
                tradeId = ++lastTradeIds[id];
            }
            else
            {
                lastTradeIds[id] = tradeId;
            }
            sink.onTrade(id, tick.side(), tick.price(), tick.size(), tradeId, tick.timestampNs());
        }
        else
        {
            sink.onQuote(id, tick.bidPrice(), tick.bidSize(), tick.askPrice(), tick.askSize(), tick.timestampNs());
        }
    }

    private void schedule(final long timestampNs)
    {
        if (!haveFirstTimestamp)
        {
            haveFirstTimestamp = true;
            firstTimestampNs = timestampNs;
        }
        if (!paced)
        {
            pendingDueNs = 0;
            return;
        }
        // Both timestamps are in [0, Long.MAX_VALUE], so the difference cannot overflow.
        final long sinceFirstNs = timestampNs - firstTimestampNs;
        if (sinceFirstNs <= 0)
        {
            pendingDueNs = 0;
        }
        else
        {
            pendingDueNs = speed == 1 ? sinceFirstNs : (long)(sinceFirstNs / speed);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean isExhausted()
    {
        return (maxUpdates > 0 && emitted >= maxUpdates) || (endOfInput && !pending) || closed;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String name()
    {
        return "csv";
    }

    /**
     * {@inheritDoc}
     * <p>
     * {@code file} (the input's name, when there is one input), {@code files} (the number of inputs), {@code speed}
     * (a number, or {@code max}), {@code linesRead} (every line so far, in every input: headers, comments and blank
     * lines included), {@code badLines}, and {@code firstBadLine} (input:line: reason) when there was one.
     */
    @Override
    public Map<String, Object> statistics()
    {
        final Map<String, Object> statistics = new LinkedHashMap<>();
        if (fileName != null)
        {
            statistics.put("file", fileName);
        }
        statistics.put("files", inputs.length);
        statistics.put("speed", paced ? (Object)speed : "max");
        statistics.put("linesRead", linesRead());
        statistics.put("badLines", badLines.count());
        if (badLines.first() != null)
        {
            statistics.put("firstBadLine", badLines.first());
        }
        return statistics;
    }

    /**
     * Updates handed over so far.
     *
     * @return the count.
     */
    public long emitted()
    {
        return emitted;
    }

    /**
     * Malformed lines met so far in every input (skipped, or the one that stopped the source).
     *
     * @return the count.
     */
    public long badLines()
    {
        return badLines.count();
    }

    /**
     * Lines read so far in every input, headers, comments and blank lines included.
     *
     * @return the count.
     */
    public long linesRead()
    {
        long lines = 0;
        for (final TickInput input : inputs)
        {
            lines += input.linesRead();
        }
        return lines;
    }

    /**
     * The first malformed line, as {@code input:line: reason}.
     *
     * @return the message, or null if every line was good.
     */
    public String firstBadLine()
    {
        return badLines.first();
    }

    /**
     * The names of the inputs, in the order given.
     *
     * @return such as {@code ticks.csv}, {@code archive.zip!EURUSD.csv} or {@code stdin}.
     */
    public List<String> inputNames()
    {
        return Arrays.stream(inputs).map(TickInput::name).collect(Collectors.toList());
    }

    /**
     * Closes every input, stops the reader threads and, for each input where lines were skipped, logs how many and
     * the first. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        closeInputs();
    }

    private void closeInputs()
    {
        if (inputs != null)
        {
            for (final TickInput input : inputs)
            {
                if (input != null)
                {
                    input.close();
                }
            }
        }
        opened.close();
    }
}
