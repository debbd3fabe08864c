package dev.feedhandler.cli.subscribe;

import dev.feedhandler.common.latency.LatencyReport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.SingleWriterRecorder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the listener's latency recorders once a second, off the listener thread: each interval goes to an
 * HdrHistogram interval log ({@code .hlog}) if one is asked for, and, once the warm-up is over, into the totals
 * the summary reports. The warm-up runs from the first second in which updates arrived, not from the process's
 * start: a subscriber started before its publisher (as the benchmarks and most deployments start them) would
 * otherwise count the publisher's first seconds (its JIT, a CURVE handshake, the backlog they leave) as steady state.
 */
final class LatencyHarvester implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(LatencyHarvester.class);
    private static final long INTERVAL_MS = 1000;
    /** {@link #warmupEndMs} until the first updates arrive. */
    private static final long NOT_STARTED = Long.MAX_VALUE;

    private final SingleWriterRecorder send;
    private final SingleWriterRecorder source;
    private final Histogram sendTotal = LatencyReport.newHistogram();
    private final Histogram sourceTotal = LatencyReport.newHistogram();
    private final long warmupMs;
    private long warmupEndMs;
    private final LatencyFile logFile;
    private HistogramLogWriter log;
    private final Thread thread;
    private Histogram sendInterval;
    private Histogram sourceInterval;
    private volatile boolean running = true;
    private Runnable onWarmupEnd;
    private boolean warm;

    LatencyHarvester(
        final SingleWriterRecorder send, final SingleWriterRecorder source, final long warmupMs, final LatencyFile hlog)
    {
        this.send = send;
        this.source = source;
        final long startMs = System.currentTimeMillis();
        this.warmupMs = warmupMs;
        this.warmupEndMs = warmupMs == 0 ? startMs : NOT_STARTED;
        logFile = hlog;
        if (hlog != null)
        {
            log = new HistogramLogWriter(hlog.stream());
            log.outputComment("feed subscribe latency, nanoseconds; tag send = publisher send to listener, " +
                "tag source = source (intended) time to listener; warm-up " + warmupMs + " ms from the first updates");
            log.outputLogFormatVersion();
            log.outputStartTime(startMs);
            log.setBaseTime(startMs);
            log.outputLegend();
            checkLog();
        }
        thread = new Thread(this::run, "latency-harvester");
        thread.setDaemon(true);
        thread.start();
    }

    private void run()
    {
        while (running)
        {
            try
            {
                Thread.sleep(INTERVAL_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            harvest();
        }
    }

    private synchronized void harvest()
    {
        final long nowMs = System.currentTimeMillis();
        sendInterval = send.getIntervalHistogram(sendInterval);
        sourceInterval = source.getIntervalHistogram(sourceInterval);
        if (warmupEndMs == NOT_STARTED && (sendInterval.getTotalCount() > 0 || sourceInterval.getTotalCount() > 0))
        {
            warmupEndMs = nowMs + warmupMs;
            if (log != null)
            {
                log.outputComment("first updates by " + nowMs + " ms; warm-up ends at " + warmupEndMs + " ms");
            }
        }
        final boolean counted = nowMs >= warmupEndMs;
        if (counted && !warm)
        {
            warm = true;
            if (onWarmupEnd != null)
            {
                onWarmupEnd.run();
            }
        }
        if (counted)
        {
            sendTotal.add(sendInterval);
            sourceTotal.add(sourceInterval);
        }
        if (log != null)
        {
            sendInterval.setTag("send");
            sourceInterval.setTag("source");
            log.outputIntervalHistogram(sendInterval);
            log.outputIntervalHistogram(sourceInterval);
            checkLog();
        }
    }

    /** A write that failed (a full disk) ends the interval log, said once; the run goes on. */
    private void checkLog()
    {
        final String error = logFile.error();
        if (error != null)
        {
            log = null;
            LOG.error("{}; the interval log (--hlog) stops here, the run goes on", error);
        }
    }

    /**
     * Why the interval log is incomplete, one line, or null if every interval reached it (or none was asked for).
     *
     * @return the first write error.
     */
    synchronized String logError()
    {
        return logFile == null ? null : logFile.error();
    }

    /**
     * Something to run once, on the harvester's thread, when the warm-up is over.
     *
     * @param action the action.
     */
    synchronized void onWarmupEnd(final Runnable action)
    {
        onWarmupEnd = action;
    }

    /**
     * Latency from the publisher's send timestamp, after the warm-up.
     *
     * @return the total histogram.
     */
    Histogram sendTotal()
    {
        return sendTotal;
    }

    /**
     * Latency from the source (intended) timestamp, after the warm-up.
     *
     * @return the total histogram.
     */
    Histogram sourceTotal()
    {
        return sourceTotal;
    }

    /**
     * Stops harvesting, after a last harvest of what the listener recorded since the previous one (call once the
     * listener has stopped).
     */
    @Override
    public void close()
    {
        running = false;
        thread.interrupt();
        try
        {
            thread.join(2000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        harvest();
        if (logFile != null)
        {
            logFile.flush();
            logFile.close();
        }
    }
}
