package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.subscriber.SubscriberCounters;
import org.agrona.DirectBuffer;

/**
 * The {@link TopicSequencer}'s rules for a conflated stream's messages, and for a conflating listener's snapshot
 * entries. A conflated message covers a range of the feed's sequence numbers: a jump between messages was merged by
 * the publisher, a jump beyond the previous message's range is reported lost for good, and neither is ever recovered
 * (a newer quote supersedes what was lost). Receiver thread only.
 */
final class ConflatedRules
{
    private final PlainRules plain;
    private final RecoveryRules rules;
    private final SubscriberCounters counters;
    private final SequencerListener listener;
    private final Verdict released = new Verdict();

    ConflatedRules(final PlainRules plain, final RecoveryRules rules, final SubscriberCounters counters,
        final SequencerListener listener)
    {
        this.plain = plain;
        this.rules = rules;
        this.counters = counters;
        this.listener = listener;
    }

    /**
     * A conflated message. Its range continues the topic's previous message: a range that starts further on means
     * messages were lost (reported lost for good, never recovered: the quote here supersedes theirs); a range already
     * covered is a duplicate. The first message of a session, or the first one this subscriber sees, starts the topic
     * where it starts (a late joiner gets the newest quote at once). Behind a recovery of the topic (a heartbeat-ahead
     * gap being filled, a snapshot awaited) it waits like any frame.
     */
    void conflated(final TopicState state, final Verdict v, final long epoch, final long from, final long to,
        final long quoteSequence, final int length, final DirectBuffer buffer, final int offset)
    {
        if (rules != null && state.mode != TopicState.LIVE && v.origin != Verdict.RECOVERED)
        {
            rules.holdFrame(state, v, length, buffer, offset);
            return;
        }
        if (state.sessionEpoch != 0 && epoch < state.sessionEpoch)
        {
            counters.onStaleEpoch();
            return;
        }
        final long covered = to - from + 1;
        if (epoch != state.sessionEpoch)
        {
            if (state.sessionEpoch != 0)
            {
                if (!state.ended)
                {
                    plain.sessionLost(state, v);
                }
                counters.onEpochChange();
            }
            if (rules != null)
            {
                rules.followed(epoch);
            }
            state.sessionEpoch = epoch;
            state.ended = false;
            state.nextExpected = from;
        }
        else if (to < state.nextExpected)
        {
            counters.onDuplicates(covered);
            v.noticeOnly();
            return;
        }
        else if (from > state.nextExpected)
        {
            if (state.nextExpected > 1)
            {
                plain.lostForGood(state, v, state.nextExpected, from - 1, true);
            }
            state.nextExpected = from;
        }
        counters.onBatchReceived((int)Math.min(covered, Integer.MAX_VALUE), length);
        counters.onTopicUpdates(state.topic, (int)Math.min(covered, Integer.MAX_VALUE));
        v.skip = quoteSequence != 0 && quoteSequence < state.nextExpected ? 1 : 0;
        state.nextExpected = to + 1;
        state.quoteWantedFrom = 0;
        v.kind = Verdict.CONFLATED;
    }

    /**
     * A snapshot entry for a live topic of a conflating listener: a tail the feed never announced is reported lost
     * (not recovered), and the entry's quote is delivered when it is newer than what the listener has: inside a loss
     * of the topic, with nothing of the topic delivered since.
     */
    void entry(final TopicState state, final long epoch, final long lastSequence, final long quoteSequence,
        final byte[] entry, final int quoteOffset)
    {
        long wantedFrom = state.quoteWantedFrom;
        state.quoteWantedFrom = 0;
        state.auditedLast = 0;
        if (lastSequence >= state.nextExpected)
        {
            if (wantedFrom == 0)
            {
                wantedFrom = state.nextExpected;
            }
            released.reset(Verdict.LIVE);
            released.kind = Verdict.NOTICE;
            plain.lostForGood(state, released, state.nextExpected, lastSequence, true);
            listener.onTopicEvent(state, released, null, 0, 0);
        }
        if (wantedFrom > 0 && quoteOffset >= 0 && quoteSequence >= wantedFrom && quoteSequence < state.nextExpected)
        {
            listener.onSnapshot(state, epoch, state.nextExpected - 1, quoteSequence, entry, quoteOffset);
            counters.recovery().onSnapshot();
        }
    }
}
