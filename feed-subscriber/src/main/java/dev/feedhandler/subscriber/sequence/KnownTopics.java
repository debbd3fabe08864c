package dev.feedhandler.subscriber.sequence;

import java.util.ArrayList;
import java.util.List;

/**
 * The topics the {@link TopicSequencer} has seen, for the questions asked of all of them: has every one ended, so
 * that a session whose end the feed never delivered is known to be over? Has every update a session published been
 * delivered, so that its end needs no audit? Receiver thread only.
 */
final class KnownTopics
{
    private final List<TopicState> topics = new ArrayList<>();

    /**
     * A topic seen in a live frame: remembered the first time.
     *
     * @param state the topic.
     */
    void see(final TopicState state)
    {
        if (!state.known)
        {
            state.known = true;
            topics.add(state);
        }
    }

    int size()
    {
        return topics.size();
    }

    /**
     * Every topic seen, in the order they were first seen.
     *
     * @return the topics (do not change the list).
     */
    List<TopicState> all()
    {
        return topics;
    }

    /**
     * Whether every topic seen has ended in {@code epoch} or an earlier session: nothing more of that session is
     * coming. Asked only when a recovered frame ends a topic, so a walk over all of them is fine.
     *
     * @param epoch the session.
     * @return true if none is open in it or later.
     */
    boolean allEnded(final long epoch)
    {
        for (int i = 0, n = topics.size(); i < n; i++)
        {
            final TopicState state = topics.get(i);
            if (!state.ended || state.sessionEpoch > epoch)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every update of {@code epoch} that its publisher had sent is accounted for: every topic seen in that
     * session is live (nothing held, recovering or awaited) and their last sequence numbers add up to
     * {@code publishedUpdates}, the count its status gave (sequence numbers start at 1 on every topic). False when the
     * subscriber filters topics (it sees fewer than the publisher sent) or anything is missing. Asked once per
     * session end, so a walk over all of them is fine.
     *
     * @param epoch            the session.
     * @param publishedUpdates updates it published, from its session status.
     * @return true if nothing of it can be missing.
     */
    boolean allDelivered(final long epoch, final long publishedUpdates)
    {
        long delivered = 0;
        for (int i = 0, n = topics.size(); i < n; i++)
        {
            final TopicState state = topics.get(i);
            if (state.sessionEpoch == epoch)
            {
                if (state.mode != TopicState.LIVE)
                {
                    return false;
                }
                delivered += state.nextExpected - 1;
            }
        }
        return delivered == publishedUpdates;
    }
}
