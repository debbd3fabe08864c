package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.subscriber.SubscriberCounters;

/**
 * The rules that need no recovery service, applied last to every frame the {@link TopicSequencer} lets through:
 * deliver what is new, drop duplicates and late frames of older sessions, report what is missing as lost for good
 * (without recovery, or once recovery has decided so). They decide on the verdict and the topic's state only.
 */
final class PlainRules
{
    private final SubscriberCounters counters;

    PlainRules(final SubscriberCounters counters)
    {
        this.counters = counters;
    }

    /**
     * A batch: delivered from the first update not delivered before; a jump ahead is lost for good.
     */
    void batch(final TopicState state, final Verdict v, final long epoch, final long first, final int count,
        final int length)
    {
        if (!followEpoch(state, epoch))
        {
            v.noticeOnly();
            return;
        }
        counters.onBatchReceived(count, length);
        counters.onTopicUpdates(state.topic, count);
        final long end = first + count;
        if (end <= state.nextExpected)
        {
            counters.onDuplicates(count);
            v.noticeOnly();
            return;
        }
        if (first > state.nextExpected)
        {
            lostForGood(state, v, state.nextExpected, first - 1, true);
        }
        else if (first < state.nextExpected)
        {
            v.skip = (int)(state.nextExpected - first);
            counters.onDuplicates(v.skip);
        }
        state.nextExpected = end;
        // An update after the loss is delivered: a snapshot's quote from before it would now come out of order.
        state.quoteWantedFrom = 0;
        v.kind = Verdict.BATCH;
        if (v.origin == Verdict.RECOVERED)
        {
            counters.recovery().onRecovered(count - v.skip);
            if (state.mode == TopicState.CATCHING_UP)
            {
                counters.catchUp().onRecovered(count - v.skip);
            }
        }
    }

    /**
     * A heartbeat: a last sequence number ahead of what was delivered is a tail loss (lost for good here), an end of
     * session is passed on, anything else is nothing to deliver.
     */
    void heartbeat(final TopicState state, final Verdict v, final long epoch, final long last, final boolean end)
    {
        if (!followEpoch(state, epoch))
        {
            v.noticeOnly();
            return;
        }
        if (last >= state.nextExpected)
        {
            // Tail loss: the publisher sent updates this subscriber never saw.
            lostForGood(state, v, state.nextExpected, last, true);
        }
        // The topic's end can come twice: from a catch-up stream's last page and from the feed (held meanwhile).
        final boolean newEnd = end && !state.ended;
        if (end)
        {
            state.ended = true;
        }
        if (v.hasGap() || newEnd)
        {
            v.kind = Verdict.HEARTBEAT;
            v.endOfTopic = newEnd;
        }
        else
        {
            v.noticeOnly();
        }
    }

    /**
     * Follows the publisher's session: a newer epoch restarts the topic's sequence at 1; an older one is a late
     * frame of a finished session (counted, dropped).
     *
     * @return false for a late frame of an older session.
     */
    boolean followEpoch(final TopicState state, final long epoch)
    {
        if (epoch == state.sessionEpoch)
        {
            return true;
        }
        if (state.sessionEpoch != 0 && epoch < state.sessionEpoch)
        {
            counters.onStaleEpoch();
            return false;
        }
        if (state.sessionEpoch != 0)
        {
            counters.onEpochChange();
        }
        state.sessionEpoch = epoch;
        state.nextExpected = 1;
        state.ended = false;
        return true;
    }

    /**
     * Reports {@code from..to} as lost for good, in the verdict, and moves past them.
     *
     * @param countGap whether the gap is seen here first (not already counted when its recovery started).
     */
    void lostForGood(final TopicState state, final Verdict v, final long from, final long to, final boolean countGap)
    {
        final long missing = to - from + 1;
        if (countGap)
        {
            counters.onGap(missing);
        }
        counters.recovery().onUnrecoverable(missing);
        if (v.hasGap())
        {
            v.gapUnrecoverable = true;
        }
        else
        {
            v.gap(from, to, true);
        }
        state.nextExpected = to + 1;
    }

    /**
     * The rest of an earlier session is lost: the listener hears it, and the topic leaves that session behind (an
     * audit of its tail no longer applies).
     */
    void sessionLost(final TopicState state, final Verdict v)
    {
        counters.recovery().onSessionLost();
        v.sessionLost(state.sessionEpoch, state.nextExpected - 1);
        state.ended = true;
        state.auditedLast = 0;
    }
}
