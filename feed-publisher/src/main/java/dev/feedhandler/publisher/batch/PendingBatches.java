package dev.feedhandler.publisher.batch;

/**
 * The topics with an unsent batch, oldest first: a list kept in the order of the batches' first updates (time only
 * moves forward, so appending keeps it ordered), linked through the {@link TopicBatch}es themselves so that adding
 * and removing allocate nothing. Publisher thread only.
 */
final class PendingBatches
{
    private TopicBatch oldest;
    private TopicBatch newest;
    private int count;

    /**
     * The topic whose batch has waited longest.
     *
     * @return it, or null when no batch waits.
     */
    TopicBatch oldest()
    {
        return oldest;
    }

    /**
     * Topics with an unsent batch.
     *
     * @return the count.
     */
    int count()
    {
        return count;
    }

    /**
     * Appends a topic whose batch just got its first update.
     *
     * @param topic the topic, not in the list.
     */
    void add(final TopicBatch topic)
    {
        topic.pending = true;
        topic.previousPending = newest;
        topic.nextPending = null;
        if (newest == null)
        {
            oldest = topic;
        }
        else
        {
            newest.nextPending = topic;
        }
        newest = topic;
        count++;
    }

    /**
     * Takes a topic out of the list (its batch went); a topic not in it is left alone.
     *
     * @param topic the topic.
     */
    void remove(final TopicBatch topic)
    {
        if (!topic.pending)
        {
            return;
        }
        final TopicBatch previous = topic.previousPending;
        final TopicBatch next = topic.nextPending;
        if (previous == null)
        {
            oldest = next;
        }
        else
        {
            previous.nextPending = next;
        }
        if (next == null)
        {
            newest = previous;
        }
        else
        {
            next.previousPending = previous;
        }
        topic.previousPending = null;
        topic.nextPending = null;
        topic.pending = false;
        count--;
    }
}
