package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.subscriber.SubscriberCounters;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link TopicSequencer}'s snapshot requests: one in flight at a time, for every topic that waits for one (a
 * late join, a restarted publisher's session whose beginning went by), and for audits (every topic's last sequence
 * number, to find tails the feed never announced). Topics that start waiting after a request was sent wait for the
 * next one. Receiver thread only.
 */
final class Snapshots
{
    private final RecoveryTasks tasks;
    private final SubscriberCounters counters;
    private final List<TopicState> awaiting = new ArrayList<>();
    private long task;
    private boolean audit;
    private boolean auditWanted;
    private boolean quoteWanted;
    private long generation;

    Snapshots(final RecoveryTasks tasks, final SubscriberCounters counters)
    {
        this.tasks = tasks;
        this.counters = counters;
    }

    /**
     * A topic starts from a snapshot: it waits ({@link TopicState#AWAITING_SNAPSHOT}), and one is asked for unless
     * one is in flight.
     */
    void await(final TopicState state)
    {
        state.mode = TopicState.AWAITING_SNAPSHOT;
        state.awaitingSince = generation;
        awaiting.add(state);
        if (task == 0)
        {
            request(false);
        }
    }

    /**
     * Asks for every topic's last sequence number (now, or after the request in flight).
     */
    void audit()
    {
        if (task == 0)
        {
            request(true);
        }
        else
        {
            auditWanted = true;
        }
    }

    /**
     * A conflating listener wants a topic's newest quote (now, or after the request in flight).
     */
    void wantQuote()
    {
        if (task == 0)
        {
            request(false);
        }
        else
        {
            quoteWanted = true;
        }
    }

    boolean isTask(final long id)
    {
        return id != 0 && id == task;
    }

    /**
     * Whether the request in flight is an audit (its entries concern live topics too).
     *
     * @return true for an audit.
     */
    boolean auditing()
    {
        return audit;
    }

    boolean anyAwaiting()
    {
        return !awaiting.isEmpty();
    }

    /**
     * A topic got its snapshot.
     */
    void taken(final TopicState state)
    {
        awaiting.remove(state);
    }

    /**
     * The request is over. The topics still waiting that were waiting when it was sent are not in it (or it failed):
     * they stop waiting and are returned (they recover their beginning instead). Another request goes out for those
     * that started waiting later, or for an audit wanted meanwhile.
     *
     * @param outcome {@link RecoveryRequests#ANSWERED} or another outcome.
     * @return the topics to go live, in the order they started waiting.
     */
    List<TopicState> done(final long outcome)
    {
        tasks.done(task);
        task = 0;
        if (outcome != RecoveryRequests.ANSWERED && !audit)
        {
            counters.recovery().onRecoveryFailed();
        }
        final List<TopicState> missed = new ArrayList<>();
        for (final TopicState state : awaiting)
        {
            if (state.awaitingSince < generation)
            {
                missed.add(state);
            }
        }
        awaiting.removeAll(missed);
        if (!awaiting.isEmpty() || auditWanted || quoteWanted)
        {
            request(auditWanted);
            auditWanted = false;
            quoteWanted = false;
        }
        return missed;
    }

    private void request(final boolean forAudit)
    {
        generation++;
        audit = forAudit;
        task = tasks.snapshot();
    }
}
