package dev.feedhandler.publisher;

import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.concurrent.ParkingIdleStrategy;
import dev.feedhandler.common.shm.ShmLogWriter;
import dev.feedhandler.common.diag.AllocationMeter;
import dev.feedhandler.publisher.FeedPublisher.StopReason;
import dev.feedhandler.publisher.batch.MessageRateWatch;
import dev.feedhandler.publisher.batch.SmartBatcher;
import dev.feedhandler.publisher.source.PriceSource;
import dev.feedhandler.publisher.transport.XPubPublication;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The publisher's duty cycle, as an Agrona {@link Agent}: waits for subscribers if asked, then each cycle polls the
 * source into the batcher and lets the batcher's policy flush what is due ({@link SmartBatcher#flushDue}); every
 * 10 ms while updates flow (up to 100 ms when idle, {@link IdleDue}) it reads subscriptions, sends heartbeats and the
 * session status and copies the counters. Given a {@link ParkingIdleStrategy} ({@link #dueTimes}), a cycle without
 * work tells it when the next timed duty is due (the source's next update, housekeeping), so an idle publisher
 * parks until then. The
 * {@code block} back-pressure policy lives here: while the socket refuses frames the agent offers them again each
 * cycle (the idle strategy waits in between) and takes nothing from the source. When the session ends (stop,
 * duration, end of source, source failure) it flushes, sends the final heartbeats and the ended status, gives
 * refused frames up to the close linger to go, and terminates ({@link AgentTerminationException}, expected), so
 * that its runner or invoker closes it. Runs on one thread; {@link #requestStop()} from any.
 */
final class PublisherAgent implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(PublisherAgent.class);
    private static final int POLL_LIMIT = 1024;
    private static final int MAX_POLLS_PER_CYCLE = 64;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private enum State
    {
        AWAITING, PUBLISHING, ENDING, DONE
    }

    private final PublisherConfiguration configuration;
    private final PriceSource source;
    private final XPubPublication publication;
    private final ConflatedStream conflated;
    private final SmartBatcher batcher;
    private final PublisherCounters counters;
    private final Runnable onClose;
    private final AllocationMeter allocationMeter = new AllocationMeter();
    private final MessageRateWatch rateWatch;
    private final long heartbeatIntervalNs;
    private final long durationNs;

    private volatile boolean running = true;
    private volatile FeedPublisher.State lifecycle = FeedPublisher.State.BOUND;
    private State state = State.AWAITING;
    private long measureAfterNs;
    private long measuredFromUpdates;
    private long measuredFromNs;
    private long awaitDeadlineNs;
    private long endDeadlineNs;
    private long nextHousekeepingNs;
    private long nextStatusNs;
    private long startNs;
    private long durationStartNs;
    private long endNs;
    private StopReason stopReason;
    private String failure;
    private Map<String, Object> measurement = Map.of();
    private ParkingIdleStrategy dueTimes;
    private ShmLogWriter shm;
    private long housekeptUpdates;

    PublisherAgent(
        final PublisherConfiguration configuration,
        final PriceSource source,
        final XPubPublication publication,
        final ConflatedStream conflated,
        final SmartBatcher batcher,
        final PublisherCounters counters,
        final Runnable onClose)
    {
        this.configuration = configuration;
        this.source = source;
        this.publication = publication;
        this.conflated = conflated;
        this.batcher = batcher;
        this.counters = counters;
        this.onClose = onClose;
        this.rateWatch = new MessageRateWatch(configuration.batch());
        this.heartbeatIntervalNs = configuration.heartbeatInterval().toNanos();
        this.durationNs = configuration.duration() == null || configuration.duration().isZero() ?
            Long.MAX_VALUE : configuration.duration().toNanos();
    }

    @Override
    public String roleName()
    {
        return "feed-publisher";
    }

    @Override
    public void onStart()
    {
        final long nowNs = System.nanoTime();
        if (configuration.awaitSubscribers() > 0)
        {
            LOG.info("waiting up to {} for {} subscriber(s)", configuration.awaitTimeout(),
                configuration.awaitSubscribers());
            awaitDeadlineNs = nowNs + configuration.awaitTimeout().toNanos();
            state = State.AWAITING;
            lifecycle = FeedPublisher.State.AWAITING_SUBSCRIBERS;
        }
        else
        {
            startPublishing(nowNs);
        }
    }

    @Override
    public int doWork()
    {
        final long nowNs = System.nanoTime();
        switch (state)
        {
            case AWAITING:
                return awaitSubscribers(nowNs);
            case PUBLISHING:
                final int work = publish(nowNs);
                signalReaders();
                return work;
            case ENDING:
                return drainAtEnd(nowNs);
            default:
                throw new AgentTerminationException(true);
        }
    }

    @Override
    public void onClose()
    {
        if (stopReason == null)
        {
            // Closed before the session ended (the runner was closed, the thread interrupted).
            stopReason = StopReason.STOPPED;
            finish(System.nanoTime());
        }
        lifecycle = FeedPublisher.State.ENDED;
        onClose.run();
    }

    private int awaitSubscribers(final long nowNs)
    {
        final int work = pollSubscriptions();
        if (subscribers() >= configuration.awaitSubscribers())
        {
            startPublishing(nowNs);
            return work + 1;
        }
        if (!running || nowNs - awaitDeadlineNs >= 0)
        {
            if (running)
            {
                LOG.error("timed out after {} waiting for {} subscriber(s): {} subscribed",
                    configuration.awaitTimeout(), configuration.awaitSubscribers(), subscribers());
            }
            stopReason = running ? StopReason.AWAIT_TIMEOUT : StopReason.STOPPED;
            startNs = nowNs;
            finish(nowNs);
            throw new AgentTerminationException(true);
        }
        if (work == 0 && dueTimes != null)
        {
            // Subscriptions are read every housekeeping period while waiting for them (a stop request unparks).
            dueTimes.wakeAt(Math.min(IdleDue.HOUSEKEEPING_INTERVAL_NS, awaitDeadlineNs - nowNs) + nowNs);
        }
        return work;
    }

    /** Reads subscriptions of the feed and of the conflated stream. */
    private int pollSubscriptions()
    {
        return publication.pollSubscriptions() + (conflated == null ? 0 : conflated.pollSubscriptions());
    }

    /** Subscribers of the feed and of the conflated stream together count towards {@code --await-subscribers}. */
    private int subscribers()
    {
        return publication.subscriberCount() + (conflated == null ? 0 : conflated.subscriberCount());
    }

    private void startPublishing(final long nowNs)
    {
        startNs = nowNs;
        // A line of a feed joins at the feed's current sequence numbers, and its duration counts from the feed's start.
        durationStartNs = configuration.line() == null ? nowNs :
            LineJoin.skipDue(configuration.line(), source, batcher, nowNs);
        batcher.nowNs(nowNs);
        batcher.sendSessionStatus(SessionState.ACTIVE);
        if (measureAfterNs == 0)
        {
            startMeasuring(nowNs);
        }
        nextHousekeepingNs = nowNs + IdleDue.HOUSEKEEPING_INTERVAL_NS;
        nextStatusNs = nowNs + heartbeatIntervalNs;
        state = State.PUBLISHING;
        lifecycle = FeedPublisher.State.RUNNING;
    }

    private int publish(final long nowNs)
    {
        final StopReason reason = stopCondition(nowNs);
        if (reason != null)
        {
            return beginEnd(reason, nowNs);
        }
        int work = 0;
        long timeNs = nowNs;
        // A source with more ready than one poll takes (flat out, a burst) is polled again at once, up to a bound that
        // keeps the stop checks and the housekeeping timely; a paced source is polled once per duty cycle.
        for (int polls = 0; polls < MAX_POLLS_PER_CYCLE; polls++)
        {
            if (batcher.isBackPressured())
            {
                work += batcher.retryBackPressured();
                if (batcher.isBackPressured())
                {
                    break;
                }
            }
            batcher.nowNs(timeNs);
            final int updates;
            try
            {
                updates = source.poll(batcher, POLL_LIMIT, timeNs);
            }
            catch (final PriceSource.SourceException ex)
            {
                failure = ex.getMessage();
                return beginEnd(StopReason.FAILED, timeNs);
            }
            final boolean drained = updates < POLL_LIMIT;
            work += updates + batcher.flushDue(timeNs, drained);
            if (drained)
            {
                break;
            }
            timeNs = System.nanoTime();
        }
        if (conflated != null)
        {
            work += conflated.flushDue(timeNs);
        }
        if (timeNs - nextHousekeepingNs >= 0)
        {
            work += housekeeping(timeNs);
        }
        // --envelope: what this cycle sent goes now, as one message.
        publication.flush();
        // A batch waiting for its linger or a budget token is work due soon: with the park idle strategy a non-zero
        // count means the shortest park, rather than a backoff past the batch's deadline.
        if (work == 0 && batcher.pendingBatches() > 0)
        {
            return 1;
        }
        if (work == 0 && dueTimes != null && conflated == null && !batcher.isBackPressured() &&
            !publication.isBackPressured())
        {
            // The end of --duration is a timed duty too: the session ends on time, not at the next wake-up.
            final long dutyNs = durationNs == Long.MAX_VALUE ? nextHousekeepingNs :
                IdleDue.earliest(nextHousekeepingNs, durationStartNs + durationNs);
            final long dueNs = IdleDue.nextDueNs(source.nextUpdateNs(timeNs), dutyNs, timeNs);
            if (dueNs != timeNs)
            {
                dueTimes.wakeAt(dueNs);
            }
        }
        return work;
    }

    private StopReason stopCondition(final long nowNs)
    {
        if (!running)
        {
            return StopReason.STOPPED;
        }
        if (nowNs - durationStartNs >= durationNs)
        {
            return StopReason.DURATION;
        }
        if (source.isExhausted())
        {
            return StopReason.EXHAUSTED;
        }
        if (batcher.isClosed())
        {
            failure = "the feed socket's ZeroMQ context was terminated under the publisher";
            return StopReason.FAILED;
        }
        return null;
    }

    private int housekeeping(final long nowNs)
    {
        if (!allocationMeter.started() && nowNs - startNs >= measureAfterNs)
        {
            startMeasuring(nowNs);
        }
        int work = pollSubscriptions();
        if (!batcher.isBackPressured())
        {
            work += batcher.sendHeartbeats(nowNs, heartbeatIntervalNs);
            if (nowNs - nextStatusNs >= 0)
            {
                nextStatusNs = nowNs + heartbeatIntervalNs;
                batcher.sendSessionStatus(SessionState.ACTIVE);
            }
        }
        counters.update(batcher, publication);
        final long published = batcher.publishedUpdates();
        // With --envelope a message carries many frames: the frame rate is no message rate, and nothing to warn of.
        final String overBudget = configuration.socket().envelope() ? null : rateWatch.onHousekeeping(nowNs,
            batcher.publishedBatches(), batcher.lingerFlushes(), published, batcher.topicCount(),
            batcher.linger().nanos());
        if (overBudget != null && !batcher.linger().canStretch())
        {
            LOG.warn(overBudget);
        }
        counters.overBudgetSeconds(rateWatch.overBudgetSeconds());
        nextHousekeepingNs = IdleDue.nextHousekeepingNs(batcher, nowNs, heartbeatIntervalNs, nextStatusNs,
            dueTimes != null && published == housekeptUpdates);
        housekeptUpdates = published;
        return work;
    }

    private int beginEnd(final StopReason reason, final long nowNs)
    {
        stopReason = reason;
        batcher.nowNs(nowNs);
        batcher.endSession();
        batcher.sendSessionStatus(SessionState.ENDED);
        endDeadlineNs = nowNs + configuration.socket().closeLingerMs() * NANOS_PER_MILLI;
        state = State.ENDING;
        return 1;
    }

    private int drainAtEnd(final long nowNs)
    {
        final int work = batcher.isBackPressured() ? batcher.retryBackPressured() : 0;
        publication.flush();
        signalReaders();
        final boolean waiting = batcher.isBackPressured() || publication.isBackPressured();
        if (waiting && nowNs - endDeadlineNs < 0)
        {
            publication.pollSubscriptions();
            return work;
        }
        if (waiting)
        {
            LOG.warn("{} frames never went out: a subscriber's queue stayed full for the close linger ({} ms) " +
                "(--backpressure block)", batcher.discardBackPressured() + publication.discardWaiting(),
                configuration.socket().closeLingerMs());
        }
        finish(nowNs);
        LOG.info("session ended ({}): {} updates in {} batches", stopReason.name().toLowerCase(),
            batcher.publishedUpdates(), batcher.publishedBatches());
        throw new AgentTerminationException(true);
    }

    private void finish(final long nowNs)
    {
        counters.update(batcher, publication);
        endNs = nowNs;
        if (allocationMeter.started())
        {
            measurement = allocationMeter.stop(batcher.publishedUpdates());
            if (endNs > measuredFromNs)
            {
                measurement.put("updatesPerSecond", Math.round(
                    (batcher.publishedUpdates() - measuredFromUpdates) * 1e9 / (endNs - measuredFromNs)));
            }
        }
        state = State.DONE;
    }

    private void startMeasuring(final long nowNs)
    {
        measuredFromNs = nowNs;
        measuredFromUpdates = batcher.publishedUpdates();
        allocationMeter.start(measuredFromUpdates, Thread.currentThread(), "publisher", "iothread");
    }

    void measureAfter(final long warmupNs)
    {
        measureAfterNs = warmupNs;
    }

    /**
     * Tells this idle strategy, the one that waits between this agent's duty cycles, when the next timed duty is due.
     *
     * @param idle the strategy, or null to tell none (another strategy: it backs off as it does).
     */
    void dueTimes(final ParkingIdleStrategy idle)
    {
        dueTimes = idle;
    }

    /**
     * Wakes the shared-memory log's readers once per duty cycle that wrote to it (one system call for the cycle's
     * frames, not one per frame).
     *
     * @param writer the log, or null without one.
     */
    void sharedMemory(final ShmLogWriter writer)
    {
        shm = writer;
    }

    private void signalReaders()
    {
        if (shm != null)
        {
            shm.signal();
        }
    }

    void requestStop()
    {
        running = false;
    }

    FeedPublisher.State lifecycle()
    {
        return lifecycle;
    }

    boolean isDone()
    {
        return state == State.DONE;
    }

    StopReason stopReason()
    {
        // Asked to stop before it ran (a signal during its process's start-up): stopped, though it never started.
        return stopReason == null && !running ? StopReason.STOPPED : stopReason;
    }

    String failure()
    {
        return failure;
    }

    long startNs()
    {
        return startNs;
    }

    long endNs()
    {
        return endNs;
    }

    long overBudgetSeconds()
    {
        return rateWatch.overBudgetSeconds();
    }

    Map<String, Object> measurement()
    {
        return measurement;
    }
}
