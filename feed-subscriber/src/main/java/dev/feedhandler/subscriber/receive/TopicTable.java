package dev.feedhandler.subscriber.receive;

import dev.feedhandler.common.wire.TopicKey;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.sequence.TopicState;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Topic bytes to topic state, looked up without allocation: the lookup key is a reused buffer wrapped over the
 * received bytes ({@link TopicKey} compares by content and hashes every byte). A new topic is a cold path: its key is
 * copied and its {@link Topic} created once. Other threads read the topics from an append-only array published
 * through volatile fields (a copy-on-write list copied the whole list for every new topic: with 20,000 instruments
 * the receiver spent its first seconds copying, fell behind and lost updates to its PUB queue).
 */
final class TopicTable
{
    private final Map<TopicKey, TopicState> byBytes = new HashMap<>();
    private final TopicKey lookupKey = new TopicKey();
    private volatile Topic[] published = new Topic[64];
    private volatile int publishedCount;
    private final List<TopicState> states = new ArrayList<>();

    TopicState lookup(final byte[] bytes, final int length)
    {
        lookupKey.wrap(bytes, 0, length);
        final TopicState state = byBytes.get(lookupKey);
        return state != null ? state : add(bytes, length);
    }

    TopicState find(final byte[] bytes)
    {
        lookupKey.wrap(bytes, 0, bytes.length);
        return byBytes.get(lookupKey);
    }

    private TopicState add(final byte[] bytes, final int length)
    {
        final byte[] copy = new byte[length];
        System.arraycopy(bytes, 0, copy, 0, length);
        final TopicState state = new TopicState(
            new Topic(states.size(), new String(copy, StandardCharsets.US_ASCII)), copy);
        byBytes.put(new TopicKey().wrap(copy, 0, length), state);
        states.add(state);
        publish(state.topic());
        return state;
    }

    /**
     * Receiver thread: appends a topic for the readers; the array is replaced, never changed below the count.
     */
    private void publish(final Topic topic)
    {
        final int count = publishedCount;
        Topic[] array = published;
        if (count == array.length)
        {
            array = Arrays.copyOf(array, count * 2);
        }
        array[count] = topic;
        published = array;
        publishedCount = count + 1;
    }

    /**
     * Any thread: the topics seen so far, in id order.
     *
     * @return an unmodifiable view of them.
     */
    List<Topic> topics()
    {
        final int count = publishedCount;
        return Collections.unmodifiableList(Arrays.asList(published).subList(0, count));
    }
}
