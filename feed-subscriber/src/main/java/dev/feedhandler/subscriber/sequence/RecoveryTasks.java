package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.SubscriberCounters;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.NanoClock;

/**
 * The {@link TopicSequencer}'s requests to the recovery service: their ids, which topic each is for, how many are in
 * flight and since when. Starting a topic's request puts the topic in the matching mode. Receiver thread only.
 */
final class RecoveryTasks
{
    private final RecoveryRequests requests;
    private final SubscriberCounters counters;
    private final NanoClock clock;
    private final Long2ObjectHashMap<TopicState> byTask = new Long2ObjectHashMap<>();
    private long lastTask;
    private int outstanding;
    private long sinceNs;
    private int catchingUp;
    private long spellStartNs;

    RecoveryTasks(final RecoveryRequests requests, final SubscriberCounters counters, final NanoClock clock)
    {
        this.requests = requests;
        this.counters = counters;
        this.clock = clock;
    }

    /**
     * Whether there is a recovery service at all.
     *
     * @return false for the plain rules.
     */
    boolean enabled()
    {
        return requests != null;
    }

    int outstanding()
    {
        return outstanding;
    }

    long sinceNs()
    {
        return sinceNs;
    }

    /**
     * Fills a topic's range of a session; the topic is {@link TopicState#RECOVERING} meanwhile.
     */
    void fill(final TopicState state, final long epoch, final long from, final long to)
    {
        final long task = start(state, TopicState.RECOVERING, to);
        requests.fillGap(task, state, epoch, from, to);
    }

    /**
     * Streams a topic from its next expected update on; the topic is {@link TopicState#CATCHING_UP} meanwhile.
     */
    void catchUp(final TopicState state)
    {
        final long task = start(state, TopicState.CATCHING_UP, WireFormat.SEQUENCE_TO_END);
        counters.catchUp().onStart();
        if (catchingUp++ == 0)
        {
            spellStartNs = clock.nanoTime();
        }
        requests.catchUp(task, state, state.sessionEpoch, state.nextExpected);
    }

    int catchingUp()
    {
        return catchingUp;
    }

    /**
     * A catching-up topic is live again (merged, or its stream ended); the spell of catching up ends with the last.
     */
    void caughtUp(final TopicState state)
    {
        state.mode = TopicState.LIVE;
        if (--catchingUp == 0)
        {
            final long nowNs = clock.nanoTime();
            counters.catchUp().onSpell(nowNs - spellStartNs, nowNs);
        }
    }

    /**
     * Asks for a snapshot.
     *
     * @return the request's id.
     */
    long snapshot()
    {
        final long task = next();
        requests.snapshot(task);
        return task;
    }

    /**
     * Lets the client go of the service until the next request (the session ended, nothing is being recovered).
     */
    void release()
    {
        if (requests != null)
        {
            requests.release();
        }
    }

    /**
     * Forgets a topic's request (its done still comes back, and is then ignored).
     */
    void cancel(final TopicState state)
    {
        byTask.remove(state.task);
        requests.cancel(state.task);
        state.task = 0;
    }

    /**
     * The topic a request still in progress is for.
     *
     * @return the topic, or null if the request is over, cancelled or unknown.
     */
    TopicState find(final long task)
    {
        final TopicState state = byTask.get(task);
        return state != null && state.task == task ? state : null;
    }

    /**
     * A request is over.
     *
     * @return the topic it was for, its task cleared, or null if it was not a topic's current request.
     */
    TopicState done(final long task)
    {
        outstanding--;
        final TopicState state = byTask.remove(task);
        if (state == null || state.task != task)
        {
            return null;
        }
        state.task = 0;
        return state;
    }

    private long start(final TopicState state, final int mode, final long to)
    {
        final long task = next();
        state.mode = mode;
        state.task = task;
        state.taskTo = to;
        byTask.put(task, state);
        counters.recovery().onRecoveryStarted();
        return task;
    }

    private long next()
    {
        if (outstanding++ == 0)
        {
            sinceNs = clock.nanoTime();
        }
        return ++lastTask;
    }
}
