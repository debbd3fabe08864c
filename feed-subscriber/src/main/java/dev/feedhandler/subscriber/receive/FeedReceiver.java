package dev.feedhandler.subscriber.receive;

import dev.feedhandler.common.socket.SocketWait;
import dev.feedhandler.common.wire.DecodeError;
import dev.feedhandler.subscriber.FeedState;
import dev.feedhandler.subscriber.SubscriberCounters;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.sequence.LineArbiter;
import dev.feedhandler.subscriber.sequence.TopicSequencer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;
import zmq.Msg;

import java.util.Arrays;
import java.util.List;

/**
 * The receiver: reads {@code [topic][payload]} messages from the SUB socket (or the lines' sockets) and hands each
 * to its {@link FrameIntake}, which copies the payload once into a ring slot, validates it completely, asks the
 * {@link TopicSequencer} what to do with it, and publishes the slot to the listener's thread. Every sequence rule is
 * the sequencer's. Malformed messages are counted by kind and skipped; nothing stops the loop. Allocation-free per
 * message (JeroMQ itself allocates each received frame). Receiver thread only.
 * <p>
 * With recovery ({@link #enableRecovery}), while requests are in flight the loop also watches the link to the
 * recovery client (one {@link SocketWait} over both sockets). It tells the listener when the feed goes stale and live.
 */
public final class FeedReceiver
{
    /** Receive timeout of the blocking mode: how often the loop checks whether it should stop. */
    public static final int RECEIVE_TIMEOUT_MS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(FeedReceiver.class);
    private static final int DRAIN_LIMIT = 256;

    private ZMQ.Socket socket;
    private final ListenerProxy proxy;
    private final SubscriberCounters counters;
    private final TopicTable topicTable = new TopicTable();
    private final ReceiveBufferPool pool;
    private final NanoClock clock;
    private TopicSequencer sequencer;
    private RecoveryLinkAdapter recovery;
    private SocketWait wait;
    private ZMQ.Socket polled;
    private final FeedLiveness liveness = new FeedLiveness();
    private final FrameIntake intake;
    private final EnvelopeIntake envelopes;
    private int feedMessages;
    private ZMQ.Socket[] lineSockets;
    private LineArbiter arbiter;
    private int line;
    private boolean linesChanged;
    private boolean conflating;
    private LivePause livePause;

    /**
     * A receiver over a connected, subscribed socket, with the plain sequence rules (every gap unrecoverable) until
     * {@link #enableRecovery} is called.
     *
     * @param socket        the SUB socket, or null for a receiver fed through {@link #onFrame} (shared memory).
     * @param handoff       where received frames are published (to the listener).
     * @param counters      counters to update.
     * @param pool          the socket's receive pool, to give arrays back to, or null.
     * @param maxFrameBytes largest payload accepted.
     * @param maxTopics     most distinct topics tracked; frames of further topics are rejected.
     * @param topics        the subscription's topic prefixes, applied here to the frames inside an envelope
     *                      ({@code publish --envelope}; ZeroMQ filters by the envelope's topic only).
     */
    public FeedReceiver(
        final ZMQ.Socket socket,
        final EventHandoff handoff,
        final SubscriberCounters counters,
        final ReceiveBufferPool pool,
        final int maxFrameBytes,
        final int maxTopics,
        final List<String> topics)
    {
        this.socket = socket;
        this.pool = pool;
        this.proxy = new ListenerProxy(handoff, counters);
        this.counters = counters;
        this.clock = new SystemNanoClock();
        this.intake = new FrameIntake(proxy, counters, topicTable, clock, maxFrameBytes, maxTopics);
        this.envelopes = new EnvelopeIntake(intake, counters, topics);
        sequencer(new TopicSequencer(null, proxy, counters, clock, 0));
    }

    private void sequencer(final TopicSequencer topicSequencer)
    {
        sequencer = topicSequencer;
        intake.sequencer(topicSequencer);
    }

    /**
     * Adds a tap that sees every frame received, before validation (for recording).
     *
     * @param frameTap the tap, or null for none.
     */
    public void tap(final FrameTap frameTap)
    {
        intake.tap(frameTap);
    }

    /**
     * Replaces the socket (after the old one was closed because a connection stalled).
     *
     * @param socket the new, connected and subscribed socket.
     */
    public void socket(final ZMQ.Socket socket)
    {
        this.socket = socket;
        if (livePause != null)
        {
            livePause.reset();
        }
    }

    /**
     * Reads identical lines of one feed, one socket per line, and arbitrates between them: each (topic, sequence)
     * is delivered once, from whichever line brings it first, and a gap on one line waits for the others
     * ({@link LineArbiter}). Needs recovery ({@link #enableRecovery}, called first): its holding of frames behind a
     * gap is what waiting for another line uses.
     *
     * @param sockets     one connected, subscribed socket per line, in line order (the first is the constructor's).
     * @param lineArbiter what is known of each line.
     */
    public void arbitrate(final ZMQ.Socket[] sockets, final LineArbiter lineArbiter)
    {
        if (recovery == null)
        {
            throw new IllegalStateException("arbitration needs recovery enabled first");
        }
        this.lineSockets = sockets.clone();
        this.arbiter = lineArbiter;
        intake.arbiter(lineArbiter);
        sequencer.arbitrate(lineArbiter);
    }

    /**
     * Replaces a line's socket (after the old one was closed because a connection stalled).
     *
     * @param lineNumber the line.
     * @param lineSocket the new, connected and subscribed socket.
     */
    public void socket(final int lineNumber, final ZMQ.Socket lineSocket)
    {
        lineSockets[lineNumber] = lineSocket;
        linesChanged = true;
    }

    /**
     * The arbiter of the lines, or null when reading one socket.
     *
     * @return the arbiter.
     */
    public LineArbiter arbiter()
    {
        return arbiter;
    }

    /**
     * Recovers gaps, earlier sessions' rests and missed beginnings through a recovery client.
     *
     * @param link         a PAIR socket connected to the recovery client.
     * @param prefixes     the subscription's topic prefixes, for snapshots.
     * @param maxHeldBytes most bytes of live frames held back behind recoveries, all topics together.
     */
    public void enableRecovery(final ZMQ.Socket link, final List<String> prefixes, final long maxHeldBytes)
    {
        recovery = new RecoveryLinkAdapter(link, prefixes, counters, topicTable);
        livePause = socket == null ? null : new LivePause(SubscriberSocket.dataTopics(prefixes));
        sequencer(new TopicSequencer(recovery, proxy, counters, clock, maxHeldBytes).conflating(conflating));
    }

    /**
     * Applies the sequence rules of a conflating listener: gaps are reported, never filled; snapshots are asked for
     * only when a topic's newest quote is unknown (see {@link TopicSequencer#conflating}).
     *
     * @param conflate whether the listener conflates.
     */
    public void conflating(final boolean conflate)
    {
        conflating = conflate;
        sequencer.conflating(conflate);
    }

    /**
     * Tells the listener when nothing at all has arrived for three heartbeat intervals (stale), and when something
     * arrives again (live). Counted from the first message: before it the feed is not stale, just not there yet.
     *
     * @param heartbeatIntervalNs the publisher's heartbeat interval, 0 to turn liveness off.
     */
    public void liveness(final long heartbeatIntervalNs)
    {
        liveness.heartbeatInterval(heartbeatIntervalNs);
    }

    /**
     * Receives what is there: waits for the first message (up to the socket's receive timeout, or not at all with
     * {@code block} false), then drains up to a limit without waiting.
     *
     * @param block whether to wait for the first message.
     * @return messages handled.
     */
    public int doWork(final boolean block)
    {
        if (lineSockets != null)
        {
            return doWorkLines(block);
        }
        if (recovery != null && sequencer.busy())
        {
            return doWorkRecovering(block);
        }
        Msg first = socket.recvMsg(block ? 0 : ZMQ.DONTWAIT);
        if (first == null)
        {
            return 0;
        }
        int count = 0;
        do
        {
            onMessage(first);
            count++;
        }
        while (count < DRAIN_LIMIT && (first = socket.recvMsg(ZMQ.DONTWAIT)) != null);
        return count;
    }

    /**
     * While recoveries are in flight: drain the feed and the link; only when both are empty, wait on them together
     * (a poll per message doubled the receiver's CPU).
     */
    private int doWorkRecovering(final boolean block)
    {
        int count = drainFeed();
        int handled = recovery.drain(sequencer);
        if (count == 0 && handled == 0 && block)
        {
            if (wait == null || polled != socket)
            {
                if (wait != null)
                {
                    wait.close();
                }
                wait = SocketWait.of(socket, recovery.link());
                polled = socket;
            }
            wait.await(RECEIVE_TIMEOUT_MS);
            count = drainFeed();
            handled = recovery.drain(sequencer);
        }
        if (livePause != null && handled > 0 &&
            livePause.check(socket, sequencer.catchingUpEverything(), recovery.nearHead()))
        {
            recovery.nearHead(false);
        }
        return count + handled;
    }

    /**
     * Identical lines: drain each line's socket and the recovery link in turn; only when all are empty, wait on
     * them together.
     */
    private int doWorkLines(final boolean block)
    {
        int count = drainLines();
        if (count == 0 && block)
        {
            if (wait == null || linesChanged)
            {
                if (wait != null)
                {
                    wait.close();
                }
                final ZMQ.Socket[] watched = Arrays.copyOf(lineSockets, lineSockets.length + 1);
                watched[lineSockets.length] = recovery.link();
                wait = SocketWait.of(watched);
                linesChanged = false;
            }
            wait.await(RECEIVE_TIMEOUT_MS);
            count = drainLines();
        }
        return count;
    }

    private int drainLines()
    {
        int count = 0;
        for (int i = 0; i < lineSockets.length; i++)
        {
            line = i;
            socket = lineSockets[i];
            count += drainFeed();
        }
        return count + recovery.drain(sequencer);
    }

    private int drainFeed()
    {
        int count = 0;
        Msg message;
        while (count < DRAIN_LIMIT && (message = socket.recvMsg(ZMQ.DONTWAIT)) != null)
        {
            onMessage(message);
            count++;
        }
        return count;
    }

    /**
     * Handles what the recovery client sent, without waiting: for a receiver fed through {@link #onFrame} rather
     * than a socket, which calls this in each duty cycle.
     *
     * @return messages handled.
     */
    public int doRecoveryWork()
    {
        return recovery != null && sequencer.busy() ? recovery.drain(sequencer) : 0;
    }

    /**
     * Follows the feed's liveness after a {@link #doWork} call: the listener hears when nothing has arrived for
     * three heartbeat intervals, and when something arrives again.
     *
     * @param nowNs {@link System#nanoTime()} now.
     */
    public void checkLiveness(final long nowNs)
    {
        if (arbiter != null)
        {
            arbiter.checkLines(nowNs);
            sequencer.checkArbitration(clock.nanoTime());
        }
        if (feedMessages > 0)
        {
            liveness.heard(nowNs);
        }
        else if (liveness.silent(nowNs))
        {
            counters.onStale();
            LOG.warn("feed stale: nothing received for {} ms (three heartbeat intervals)",
                liveness.silenceNs(nowNs) / 1_000_000);
            proxy.publishEvent(BatchEvent.STALE);
            sequencer.onFeedStale();
        }
        feedMessages = 0;
    }

    /**
     * Whether the feed reaches this receiver: nothing yet, live, or stale. Written on changes only; safe to read from
     * any thread.
     *
     * @return the state.
     */
    public FeedState feedState()
    {
        return liveness.state();
    }

    /**
     * Reports what is never delivered now ({@link StopReport}) and closes the wait of the recovering mode, if there
     * is one.
     */
    public void close()
    {
        StopReport.report(sequencer, counters.recovery());
        if (wait != null)
        {
            wait.close();
            wait = null;
        }
    }

    /**
     * The topics seen so far, in id order. Safe to read from any thread.
     *
     * @return the topics.
     */
    public List<Topic> topics()
    {
        return topicTable.topics();
    }

    /**
     * The sequencer (for tests and status).
     *
     * @return the sequencer.
     */
    public TopicSequencer sequencer()
    {
        return sequencer;
    }

    private void onMessage(final Msg topicFrame)
    {
        feedMessages++;
        if (arbiter != null)
        {
            arbiter.heard(line, clock.nanoTime());
        }
        if (liveness.wakes())
        {
            live();
        }
        if (!topicFrame.hasMore())
        {
            counters.onDecodeError(DecodeError.MISSING_PAYLOAD);
            return;
        }
        // ZeroMQ delivers the parts of a message together: the rest is already here.
        final Msg payload = socket.recvMsg(0);
        if (payload == null)
        {
            counters.onDecodeError(DecodeError.MISSING_PAYLOAD);
            return;
        }
        if (payload.hasMore())
        {
            counters.onDecodeError(DecodeError.EXTRA_FRAMES);
            Msg extra = payload;
            while (extra != null && extra.hasMore())
            {
                release(extra);
                extra = socket.recvMsg(0);
            }
            release(extra);
            return;
        }
        onFrames(topicFrame, payload);
        release(payload);
    }

    /**
     * The first message after a stale period: the listener hears it before the message itself.
     */
    private void live()
    {
        LOG.info("feed live again after {} ms of silence", liveness.silenceNs(System.nanoTime()) / 1_000_000);
        proxy.publishEvent(BatchEvent.LIVE);
    }

    private void release(final Msg message)
    {
        if (pool != null && message != null)
        {
            pool.release(message);
        }
    }

    /**
     * Handles one two-frame message, or an envelope of several (package-private for tests that feed frames without
     * a socket).
     */
    void onFrames(final Msg topicFrame, final Msg payload)
    {
        if (EnvelopeIntake.isEnvelope(topicFrame))
        {
            envelopes.onEnvelope(payload, line);
        }
        else
        {
            intake.onFrames(topicFrame, payload, line);
        }
    }

    /**
     * Handles one frame that did not come from a ZeroMQ socket (shared memory, a test): the same checks, rules and
     * delivery as a socket's message.
     *
     * @param topic         holds frame 0.
     * @param topicOffset   where it starts.
     * @param topicLength   its length.
     * @param payload       holds frame 1.
     * @param payloadOffset where it starts.
     * @param length        its length.
     */
    public void onFrame(final DirectBuffer topic, final int topicOffset, final int topicLength,
        final DirectBuffer payload, final int payloadOffset, final int length)
    {
        feedMessages++;
        if (liveness.wakes())
        {
            live();
        }
        intake.onFrame(topic, topicOffset, topicLength, payload, payloadOffset, length, 0);
    }
}
