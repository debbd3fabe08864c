package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.HashSet;
import java.util.Set;
import java.util.function.ToLongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks what a {@link TopicSequencer} would never deliver if it stopped now ({@link Undelivered}) against what its
 * {@link SequencerHarness} saw, topic by topic, in the topic's current session (unless it waits for its snapshot: a
 * late join's beginning is no gap). Everything before the topic's next expected sequence number was delivered or
 * reported unrecoverable; from there to the highest sequence number a live frame showed, every one is held back or in
 * a pending range, and no pending range holds an update delivered, reported, held back, or never published.
 */
final class StopAccount
{
    private StopAccount()
    {
    }

    /**
     * Checks the topics now.
     *
     * @param harness   the sequencer's harness.
     * @param topics    the topics' names.
     * @param published the last sequence number published of a "topic/epoch".
     */
    static void check(final SequencerHarness harness, final String[] topics, final ToLongFunction<String> published)
    {
        final Undelivered undelivered = harness.sequencer.undelivered();
        for (final String topic : topics)
        {
            final TopicState state = harness.topic(topic);
            final long epoch = state.sessionEpoch();
            if (epoch == 0 || state.mode() == TopicState.AWAITING_SNAPSHOT)
            {
                continue;
            }
            final String context = topic + " in session " + epoch + " (mode " + state.mode() + ", next " +
                state.nextExpected() + ", pending " + undelivered.pending() + ")";
            final Set<Long> held = held(state, epoch);
            final Set<Long> pending = new HashSet<>();
            for (final Undelivered.Range range : undelivered.pending())
            {
                if (range.topic() != state.topic() || range.sessionEpoch() != epoch)
                {
                    continue;
                }
                assertThat(range.from()).as("%s: %s was not delivered or reported", context, range)
                    .isGreaterThanOrEqualTo(state.nextExpected()).isLessThanOrEqualTo(range.to());
                assertThat(range.to()).as("%s: %s was published", context, range)
                    .isLessThanOrEqualTo(published.applyAsLong(topic + "/" + epoch));
                for (long sequence = range.from(); sequence <= range.to(); sequence++)
                {
                    assertThat(pending.add(sequence)).as("%s: %d pending once", context, sequence).isTrue();
                    assertThat(held).as("%s: pending %d is held", context, sequence).doesNotContain(sequence);
                }
            }
            final long highest = harness.highestLive.getOrDefault(topic + "/" + epoch, 0L);
            for (long sequence = state.nextExpected(); sequence <= highest; sequence++)
            {
                assertThat(held.contains(sequence) || pending.contains(sequence))
                    .as("%s: %d is held or pending", context, sequence).isTrue();
            }
        }
    }

    private static Set<Long> held(final TopicState state, final long epoch)
    {
        final Set<Long> held = new HashSet<>();
        if (state.held == null)
        {
            return held;
        }
        final FrameReader reader = new FrameReader();
        for (final byte[] frame : state.held)
        {
            if (reader.read(new UnsafeBuffer(frame), 0, frame.length) == FrameKind.BATCH &&
                reader.sessionEpoch() == epoch)
            {
                final long first = reader.batchHeader().firstSequence();
                for (long sequence = first; sequence < first + reader.batchHeader().updateCount(); sequence++)
                {
                    held.add(sequence);
                }
            }
        }
        return held;
    }
}
