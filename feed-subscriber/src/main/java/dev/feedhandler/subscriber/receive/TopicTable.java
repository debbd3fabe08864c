package dev.feedhandler.subscriber.receive;

import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.sequence.TopicState;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Topic bytes to topic state, looked up without allocation: the lookup key is a reused buffer wrapped over the
 * received bytes ({@link UnsafeBuffer} compares and hashes by content). A new topic is a cold path: its key is
 * copied and its {@link Topic} created once.
 */
final class TopicTable
{
    private final Map<UnsafeBuffer, TopicState> byBytes = new HashMap<>();
    private final UnsafeBuffer lookupKey = new UnsafeBuffer(new byte[0]);
    private final List<Topic> topics = new CopyOnWriteArrayList<>();
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
        byBytes.put(new UnsafeBuffer(copy), state);
        states.add(state);
        topics.add(state.topic());
        return state;
    }

    List<Topic> topics()
    {
        return topics;
    }
}
