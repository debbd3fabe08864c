package dev.feedhandler.perf.baseline;

import dev.feedhandler.common.diag.AllocationMeter;
import dev.feedhandler.cli.json.Json;
import dev.feedhandler.common.latency.LatencyReport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The receiving side's figures for a baseline, in the same form as {@code feed subscribe}'s summary, so the
 * harness reads every system the same way: received updates, latency from the send timestamp and from the
 * intended time (nanoseconds, epoch clock of the host), after a warm-up. Single-threaded (the receive loop).
 */
final class BaselineStats
{
    private static final int MAX_SECONDS = 3600;
    private static final long SECOND_NS = 1_000_000_000L;
    /** {@link #warmupEndNs} until the first message. */
    private static final long NOT_STARTED = Long.MAX_VALUE;

    private final Histogram send = LatencyReport.newHistogram();
    private final Histogram source = LatencyReport.newHistogram();
    private final Histogram second = LatencyReport.newHistogram();
    private final long[] secondP99 = new long[MAX_SECONDS];
    private final long[] secondMax = new long[MAX_SECONDS];
    private final long startNs = System.nanoTime();
    private int seconds;
    private final AllocationMeter meter = new AllocationMeter();
    private final long warmupNs;
    private long warmupEndNs = NOT_STARTED;
    private final Path hgrm;
    private final Path hlog;
    private long received;
    private long measuredFrom;
    private long measuredFromNs;
    private long lastReceiveNs;

    BaselineStats(final long warmupNs, final Path hgrm, final Path hlog)
    {
        // The warm-up counts from the first message (record), as feed subscribe's does: a subscriber started before
        // its publisher must not count the publisher's first seconds as steady state.
        this.warmupNs = warmupNs;
        this.hgrm = hgrm;
        this.hlog = hlog;
    }

    /**
     * Records {@code count} updates received now, sent at {@code sendNs} and intended at {@code intendedNs} (epoch
     * nanoseconds).
     */
    void record(final long nowEpochNs, final long sendNs, final long intendedNs, final long count)
    {
        received += count;
        final long now = System.nanoTime();
        if (warmupEndNs == NOT_STARTED)
        {
            warmupEndNs = now + warmupNs;
        }
        lastReceiveNs = now;
        // Every second of the run, warm-up included: how the tail evolves from start-up to steady state.
        while (seconds < MAX_SECONDS && now - startNs >= (seconds + 1) * SECOND_NS)
        {
            closeSecond();
        }
        second.recordValueWithCount(clamp(nowEpochNs - sendNs), count);
        if (now < warmupEndNs)
        {
            return;
        }
        if (!meter.started())
        {
            measuredFrom = received - count;
            measuredFromNs = now;
            meter.start(measuredFrom, Thread.currentThread(), "receiver", "iothread", "aeron", "conductor");
        }
        send.recordValueWithCount(clamp(nowEpochNs - sendNs), count);
        source.recordValueWithCount(clamp(nowEpochNs - intendedNs), count);
    }

    private void closeSecond()
    {
        secondP99[seconds] = second.getTotalCount() == 0 ? 0 : second.getValueAtPercentile(99);
        secondMax[seconds] = second.getTotalCount() == 0 ? 0 : second.getMaxValue();
        second.reset();
        seconds++;
    }

    private static long[] micros(final long[] nanos, final int length)
    {
        final long[] micros = new long[length];
        for (int i = 0; i < length; i++)
        {
            micros[i] = Math.round(nanos[i] / 1000.0);
        }
        return micros;
    }

    private static long clamp(final long ns)
    {
        return Math.max(1, Math.min(ns, LatencyReport.HIGHEST_TRACKABLE_NS));
    }

    long received()
    {
        return received;
    }

    /**
     * Prints the summary as the last line of stdout, and the distribution and log files if asked for.
     */
    void finish(final String system, final Map<String, Object> extra) throws IOException
    {
        final Map<String, Object> measured = meter.stop(received);
        if (meter.started() && lastReceiveNs > measuredFromNs)
        {
            measured.put("updatesPerSecond",
                Math.round((received - measuredFrom) * 1e9 / (lastReceiveNs - measuredFromNs)));
        }
        if (hgrm != null)
        {
            try (PrintStream out = new PrintStream(hgrm.toFile(), StandardCharsets.US_ASCII))
            {
                send.outputPercentileDistribution(out, 1000.0);
            }
        }
        if (hlog != null)
        {
            try (PrintStream out = new PrintStream(hlog.toFile(), StandardCharsets.US_ASCII))
            {
                final HistogramLogWriter writer = new HistogramLogWriter(out);
                writer.outputComment(system + " latency after warm-up, nanoseconds (whole run in one interval)");
                writer.outputLogFormatVersion();
                writer.outputLegend();
                send.setTag("send");
                source.setTag("source");
                writer.outputIntervalHistogram(send);
                writer.outputIntervalHistogram(source);
            }
        }
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("system", system);
        summary.put("received", received);
        summary.put("gapsDetected", 0L);
        summary.put("decodeErrors", 0L);
        summary.put("latency_us", LatencyReport.toMicros(send));
        summary.put("latencyFromSource_us", LatencyReport.toMicros(source));
        summary.put("measured", measured);
        if (seconds < MAX_SECONDS && second.getTotalCount() > 0)
        {
            closeSecond();
        }
        final Map<String, Object> perSecond = new LinkedHashMap<>();
        perSecond.put("p99", java.util.Arrays.stream(micros(secondP99, seconds)).boxed().toList());
        perSecond.put("max", java.util.Arrays.stream(micros(secondMax, seconds)).boxed().toList());
        summary.put("perSecondFromStart_us", perSecond);
        summary.putAll(extra);
        System.out.println(Json.write(summary));
        System.out.flush();
    }
}
