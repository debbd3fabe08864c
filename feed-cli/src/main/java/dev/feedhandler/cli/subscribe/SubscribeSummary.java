package dev.feedhandler.cli.subscribe;

import dev.feedhandler.cli.json.OmittedWhenNull;
import dev.feedhandler.common.latency.LatencyReport;
import dev.feedhandler.subscriber.FeedSubscriber;
import dev.feedhandler.subscriber.SubscriberCounters;
import dev.feedhandler.subscriber.recovery.RecoveryClient;

import java.util.List;
import java.util.Map;

/**
 * The one-line JSON summary of {@code feed subscribe}, the last line of its stdout: the components, in this order,
 * are its keys, which users' scripts and {@code feed compare} read (described in the README).
 *
 * @param received                 updates delivered to the listener.
 * @param topics                   updates per topic symbol.
 * @param gapsDetected             sequence gaps seen.
 * @param recovered                updates fetched again from the recovery service.
 * @param unrecoverable            updates reported lost.
 * @param staleEvents              times the feed went stale.
 * @param snapshots                topics started from a snapshot.
 * @param conflated                updates that reached the listener merged: quotes replaced by a newer quote of
 *                                 their topic, and trades a conflated stream counted instead of sending.
 * @param conflatedByTopic         {@code conflated} per topic symbol.
 * @param tradesDropped            trades a conflating subscriber dropped past its bound (reported to the listener).
 * @param tradesDroppedByTopic     {@code tradesDropped} per topic symbol.
 * @param verify                   the order check of {@code --verify}; absent without it.
 * @param decodeErrors             malformed messages skipped.
 * @param latency_us               latency from the publisher's send timestamp, in microseconds.
 * @param latencyFromSource_us     latency from each batch's first source timestamp, in microseconds.
 * @param age_us                   age of each quote delivered (the listener's clock minus the quote's source
 *                                 timestamp), in microseconds.
 * @param lostUpdates              updates lost in gaps (recovered or not).
 * @param duplicates               updates received again and dropped.
 * @param batches                  batches received.
 * @param heartbeats               heartbeats received.
 * @param decodeErrorsByKind       malformed messages by kind.
 * @param ringFull                 times the receiver found the ring full.
 * @param receivePoolMisses        frames allocated because every pooled receive array was in use.
 * @param listenerErrors           exceptions thrown by the listener.
 * @param publisherEnded           whether the publisher ended its session.
 * @param stopReason               why the run stopped: {@code count}, {@code end} (of the publisher's session, with
 *                                 {@code --exit-on-end}), {@code duration}, {@code stopped} (a signal),
 *                                 {@code output_closed} (stdout lost its reader), {@code mismatch} (arbitrated
 *                                 lines that are not one feed) or {@code publisher_gone} (with {@code --exit-on-end},
 *                                 the publisher went away without ending its session).
 * @param recovery                 the recovery client's figures.
 * @param recoveryLatency_us       from a drop to its recovery, in microseconds.
 * @param latencyDuringRecovery_us latency of live updates while a recovery was in progress.
 * @param heldBackLatency_us       latency of updates held back behind a recovery.
 * @param lossWindow               stale periods, sessions lost and unrecoverable ranges.
 * @param elapsedSeconds           run time.
 * @param warmupSeconds            time left out of the latency and {@code measured} figures.
 * @param measured                 allocation, GCs and delivered rate after the warm-up.
 * @param record                   the {@code --record} journal's figures; absent without it.
 * @param shm                      the {@code --shm} reader's figures (laps, bytes skipped...); absent without it.
 * @param lines                    each identical line's figures (with {@code --arbitrate}); absent without it.
 */
record SubscribeSummary(
    long received,
    Map<String, Object> topics,
    long gapsDetected,
    long recovered,
    long unrecoverable,
    long staleEvents,
    long snapshots,
    long conflated,
    Map<String, Object> conflatedByTopic,
    long tradesDropped,
    Map<String, Object> tradesDroppedByTopic,
    @OmittedWhenNull Map<String, Object> verify,
    long decodeErrors,
    Map<String, Object> latency_us,
    Map<String, Object> latencyFromSource_us,
    Map<String, Object> age_us,
    long lostUpdates,
    long duplicates,
    long batches,
    long heartbeats,
    Map<String, Long> decodeErrorsByKind,
    long ringFull,
    long receivePoolMisses,
    long listenerErrors,
    boolean publisherEnded,
    String stopReason,
    Recovery recovery,
    Map<String, Object> recoveryLatency_us,
    Map<String, Object> latencyDuringRecovery_us,
    Map<String, Object> heldBackLatency_us,
    Map<String, Object> lossWindow,
    double elapsedSeconds,
    double warmupSeconds,
    Map<String, Object> measured,
    @OmittedWhenNull Map<String, Object> record,
    @OmittedWhenNull Map<String, Object> shm,
    @OmittedWhenNull List<Line> lines)
{
    /**
     * The summary of a finished run.
     *
     * @param listener       the run's listener (what was delivered, per topic, and the order check).
     * @param harvester      the latency histograms.
     * @param subscriber     the stopped subscriber (its counters and recovery client).
     * @param verify         whether {@code --verify} was given.
     * @param elapsedSeconds run time.
     * @param warmupSeconds  time left out of the latency and measured figures.
     * @param measured       allocation, GCs and delivered rate after the warm-up.
     * @param record         the {@code --record} journal's figures, or null without it.
     * @param stopReason     why the run stopped.
     * @return the summary.
     */
    static SubscribeSummary of(
        final StatsListener listener,
        final LatencyHarvester harvester,
        final FeedSubscriber subscriber,
        final boolean verify,
        final double elapsedSeconds,
        final double warmupSeconds,
        final Map<String, Object> measured,
        final Map<String, Object> record,
        final SubscribeStop.Reason stopReason)
    {
        final SubscriberCounters counters = subscriber.counters();
        return new SubscribeSummary(
            listener.received(),
            listener.topics(),
            counters.gapsDetected(),
            counters.recovery().updatesRecovered(),
            counters.recovery().updatesUnrecoverable(),
            counters.staleEvents(),
            counters.recovery().snapshots(),
            counters.conflation().updatesConflated(),
            listener.conflatedByTopic(),
            counters.conflation().tradesDropped(),
            listener.tradesDroppedByTopic(),
            verify ? listener.verifier().summary() : null,
            counters.decodeErrors(),
            LatencyReport.toMicros(harvester.sendTotal()),
            LatencyReport.toMicros(harvester.sourceTotal()),
            LatencyReport.toMicros(listener.age()),
            counters.updatesLost(),
            counters.duplicateUpdates(),
            counters.batchesReceived(),
            counters.heartbeats(),
            counters.decodeErrorsByKind(),
            counters.ringFull(),
            subscriber.receivePoolMisses(),
            counters.listenerErrors(),
            listener.sessionEnds() > 0,
            stopReason.value(),
            recovery(subscriber),
            LatencyReport.toMicros(listener.recoveryLatency()),
            LatencyReport.toMicros(listener.duringRecoveryLatency()),
            LatencyReport.toMicros(listener.heldBackLatency()),
            listener.lossWindow(),
            elapsedSeconds,
            warmupSeconds,
            measured,
            record,
            subscriber.sharedMemorySummary(),
            ArbitrationOptions.lines(subscriber.lineArbiter()));
    }

    private static Recovery recovery(final FeedSubscriber subscriber)
    {
        final SubscriberCounters counters = subscriber.counters();
        final RecoveryClient client = subscriber.recoveryClient();
        return new Recovery(
            client == null ? null : client.endpoint(),
            counters.recovery().recoveries(),
            counters.recovery().recoveriesFailed(),
            counters.recovery().giveUps(),
            counters.recovery().heldAtStop(),
            counters.recovery().pendingAtStop(),
            counters.recovery().sessionsLost(),
            client == null ? 0 : client.requests(),
            client == null ? 0 : client.snapshotRequests(),
            client == null ? 0 : client.timeouts(),
            catchUp(counters));
    }

    private static CatchUp catchUp(final SubscriberCounters counters)
    {
        final double seconds = counters.catchUp().nanos() / 1e9;
        final long endNs = counters.catchUp().lastEndNs();
        return new CatchUp(
            counters.catchUp().count(),
            counters.catchUp().updates(),
            counters.catchUp().liveDrops(),
            Math.round(seconds * 1000) / 1000.0,
            seconds > 0 ? Math.round(counters.catchUp().updates() / seconds) : 0,
            Math.round(counters.catchUp().longestNanos() / 1e6) / 1000.0,
            epochMs(endNs),
            counters.catchUp().spells(),
            spell(counters.catchUp().firstSpellNanos(), counters.catchUp().firstSpellUpdates(),
                counters.catchUp().firstSpellEndNs()),
            spell(counters.catchUp().lastSpellNanos(), counters.catchUp().lastSpellUpdates(), endNs));
    }

    private static long epochMs(final long nanoTime)
    {
        return nanoTime == 0 ? 0 : System.currentTimeMillis() - (System.nanoTime() - nanoTime) / 1_000_000;
    }

    private static Spell spell(final long nanos, final long updates, final long endNs)
    {
        final double seconds = nanos / 1e9;
        return new Spell(Math.round(seconds * 1000) / 1000.0, updates,
            seconds > 0 ? Math.round(updates / seconds) : 0, epochMs(endNs));
    }

    /**
     * One identical line's part of the summary (with {@code --arbitrate}).
     *
     * @param line       the line's number, from 1, in --connect order.
     * @param endpoint   its endpoint.
     * @param won        updates it brought first.
     * @param late       updates it brought after another line.
     * @param mismatched updates whose bytes differed from another line's copy.
     * @param lagP50_us  its lag behind the first copy, median, microseconds.
     * @param lagP99_us  the same, 99th percentile.
     * @param downEvents times it went silent for three heartbeat intervals.
     * @param upEvents   times it came back.
     * @param down       whether it is down at the end.
     * @param sessionEpoch the session it last brought a frame of (lines of one feed have the same).
     * @param otherSession frames it brought of an older session than another line's (dropped).
     * @param repeated   updates it brought a second time itself (its publisher's {@code --repeat-batches}).
     */
    record Line(String line, String endpoint, long won, long late, long mismatched, long lagP50_us, long lagP99_us,
        long downEvents, long upEvents, boolean down, long sessionEpoch, long otherSession, long repeated)
    {
    }

    /**
     * The recovery client's part of the summary.
     *
     * @param endpoint      the recovery service, or null without recovery.
     * @param recoveries    recoveries completed.
     * @param failed        recoveries that failed.
     * @param givenUp       recoveries given up (held-back bound reached).
     * @param heldAtStop    updates received and held back behind recoveries that had not completed at the stop.
     * @param pendingAtStop updates detected missing and still being recovered at the stop (never received, or let
     *                      go while catching up): never delivered, nor reported unrecoverable.
     * @param sessionsLost  sessions that ended without a word.
     * @param requests      requests sent.
     * @param snapshotRequests of those, snapshot requests (a late join's; the audit of the topics' ends when the
     *                      feed goes stale, or at a session's end with updates missing).
     * @param timeouts      requests that timed out.
     * @param catchUp       the topics that caught up with a stream instead.
     */
    record Recovery(
        String endpoint, long recoveries, long failed, long givenUp, long heldAtStop, long pendingAtStop,
        long sessionsLost, long requests, long snapshotRequests, long timeouts, CatchUp catchUp)
    {
    }

    /**
     * Catch-up: topics that fell far behind (or past the bound of held bytes) and were streamed by the recovery
     * service until they merged into the live feed.
     *
     * @param topics           times a topic switched to catch-up.
     * @param updates          updates the streams delivered.
     * @param letGo            live updates let go while their topic caught up (its stream brought them again).
     * @param seconds          time some topic was catching up, all spells together.
     * @param updatesPerSecond {@code updates / seconds}: the catch-up rate.
     * @param longestSeconds   the longest spell, from the first topic's switch to the last one's merge.
     * @param lastEndedAtMs    when the last spell ended (every topic live again), epoch milliseconds; 0 if none.
     * @param spells           spells that ended.
     * @param firstSpell       the first spell (the process's first catch-up: its code still being compiled).
     * @param lastSpell        the last spell (the same as the first when there was one).
     */
    record CatchUp(long topics, long updates, long letGo, double seconds, long updatesPerSecond,
        double longestSeconds, long lastEndedAtMs, long spells, Spell firstSpell, Spell lastSpell)
    {
    }

    /**
     * One spell of catching up.
     *
     * @param seconds          its length.
     * @param updates          updates the streams delivered during it.
     * @param updatesPerSecond {@code updates / seconds}.
     * @param endedAtMs        when it ended, epoch milliseconds; 0 if none.
     */
    record Spell(double seconds, long updates, long updatesPerSecond, long endedAtMs)
    {
    }
}
