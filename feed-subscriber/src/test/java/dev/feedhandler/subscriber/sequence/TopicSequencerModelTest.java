package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.common.testing.TestSeeds;
import dev.feedhandler.common.wire.WireFormat;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static dev.feedhandler.subscriber.sequence.SequencerHarness.NO_BOUND;
import static dev.feedhandler.subscriber.sequence.SequencerHarness.batch;
import static dev.feedhandler.subscriber.sequence.SequencerHarness.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link TopicSequencer} against a simple model, over seeded random runs: a publisher of a few topics over
 * several sessions (some ended cleanly, some not), a network that drops, duplicates and reorders frames (across
 * topics: ZeroMQ keeps one connection's order), and a recovery service that has everything and answers late, page by
 * page, while the feed goes on, and streams topics that catch up until they are cancelled or their session ends.
 * Whatever happens, each topic's listener must see, per session, every update from the first one (or from its
 * snapshot) to the last one published, in order, exactly once, with nothing reported lost, also when the bound of
 * held bytes is small and when gaps are caught up rather than filled; the rest of a session that ended without a
 * word is fetched and then reported with {@code onSessionLost}. Only a service that stops answering may lose
 * updates, and then each is reported. Along the way, what a stop would leave undelivered ({@link Undelivered}: held
 * back, still being recovered) accounts for every update known ({@link StopAccount}).
 */
class TopicSequencerModelTest
{
    private static final String[] TOPICS = {"EURUSD", "USDJPY", "GBPUSD"};
    private static final int RUNS = Integer.getInteger("feed.model.runs", 400);

    @Test
    void shouldDeliverEveryUpdateOfEverySessionInOrderExactlyOnceWhateverTheNetworkDoes()
    {
        final long seed = TestSeeds.seed("TopicSequencerModelTest");
        final Random seeds = new Random(seed);
        for (int run = 0; run < RUNS; run++)
        {
            final long runSeed = seeds.nextLong();
            if (run != Integer.getInteger("feed.model.run", run))
            {
                continue;
            }
            try
            {
                new Run(new Random(runSeed)).play();
            }
            catch (final AssertionError ex)
            {
                throw new AssertionError("run " + run + " (seed " + seed + ", run seed " + runSeed + "): " +
                    ex.getMessage(), ex);
            }
        }
    }

    /**
     * One random run.
     */
    private static final class Run
    {
        private final Random random;
        private final SequencerHarness harness;
        /** Whether the service sometimes stops answering part way (the rest is then reported unrecoverable). */
        private final boolean failing;
        /** Per topic, per session: every batch published, in order. */
        private final Map<String, Map<Long, List<byte[]>>> history = new LinkedHashMap<>();
        private final Map<String, Long> lastSequence = new LinkedHashMap<>();
        private final Deque<Runnable> answers = new ArrayDeque<>();
        private final List<Object[]> delayed = new ArrayList<>();
        private final Set<Long> cancelled = new HashSet<>();
        /** Topics whose session ended, as "topic/epoch": their streams end once everything is sent. */
        private final Set<String> ended = new HashSet<>();
        private long epoch;

        Run(final Random random)
        {
            this.random = random;
            this.failing = random.nextInt(4) == 0;
            // Sometimes a bound small enough that topics switch to catch-up; sometimes gaps of a few updates are
            // caught up rather than filled, and only frames close to the stream are held.
            final long maxHeld = random.nextInt(3) == 0 ? 100L * (1 + random.nextInt(8)) : NO_BOUND;
            final boolean streaming = random.nextInt(3) == 0;
            this.harness = new SequencerHarness(true, maxHeld,
                streaming ? 1 + random.nextInt(12) : TopicSequencer.DEFAULT_CATCH_UP_THRESHOLD,
                streaming ? random.nextInt(10) : TopicSequencer.DEFAULT_MERGE_WINDOW);
            this.exact = !failing;
        }

        /** Whether nothing may be lost: the service answers everything. */
        private final boolean exact;

        void play()
        {
            final int sessions = 1 + random.nextInt(3);
            for (int session = 0; session < sessions; session++)
            {
                epoch += 1 + random.nextInt(5);
                for (final String topic : TOPICS)
                {
                    lastSequence.put(topic, 0L);
                }
                // The session status is sent once at its start: dropped sometimes, like anything else.
                final long status = epoch;
                send(null, () -> harness.status(status, 0, false));
                final int frames = 30 + random.nextInt(120);
                for (int i = 0; i < frames; i++)
                {
                    publishOne();
                    answerSome();
                    if (i % 5 == 2)
                    {
                        // What a stop now would leave undelivered accounts for every update known.
                        StopAccount.check(harness, TOPICS, this::published);
                    }
                    if (random.nextInt(200) == 0)
                    {
                        // Three heartbeat intervals of silence: the topics' ends are checked with the service.
                        harness.sequencer.onFeedStale();
                        answerRequests();
                    }
                }
                final boolean last = session == sessions - 1;
                if (last || random.nextBoolean())
                {
                    endSession(last);
                }
            }
            flushDelayed();
            while (!answers.isEmpty())
            {
                answers.pollFirst().run();
                answerRequests();
            }
            check();
        }

        private void publishOne()
        {
            final String topic = TOPICS[random.nextInt(TOPICS.length)];
            final long last = lastSequence.get(topic);
            if (last > 0 && random.nextInt(10) == 0)
            {
                send(topic, heartbeat(epoch, last, false));
                return;
            }
            final int count = 1 + random.nextInt(4);
            final byte[] frame = batch(epoch, last + 1, count);
            history.computeIfAbsent(topic, key -> new TreeMap<>())
                .computeIfAbsent(epoch, key -> new ArrayList<>()).add(frame.clone());
            lastSequence.put(topic, last + count);
            send(topic, frame);
        }

        /**
         * A clean end: every topic's end-of-session heartbeat and the ended status. The very last session's end
         * always arrives (the run must end somewhere); an earlier one may lose frames like any other.
         */
        private void endSession(final boolean reliably)
        {
            for (final String topic : TOPICS)
            {
                ended.add(topic + "/" + epoch);
                final byte[] end = heartbeat(epoch, lastSequence.get(topic), true);
                if (reliably)
                {
                    flushDelayed();
                    harness.live(topic, end);
                    answerRequests();
                }
                else
                {
                    send(topic, end);
                }
            }
            final long ended = epoch;
            final long published = lastSequence.values().stream().mapToLong(Long::longValue).sum();
            if (reliably)
            {
                harness.status(ended, published, true);
                answerRequests();
            }
            else
            {
                send(null, () -> harness.status(ended, published, true));
            }
        }

        private void send(final String topic, final byte[] frame)
        {
            final int fate = random.nextInt(100);
            if (fate < 10)
            {
                return;
            }
            if (fate < 15)
            {
                // Held back: it arrives after the next frame of another topic.
                delayed.add(new Object[] {topic, frame.clone()});
                return;
            }
            final boolean sameTopicDelayed = delayed.stream().anyMatch(waiting -> waiting[0].equals(topic));
            if (sameTopicDelayed)
            {
                // One connection keeps a topic's order: what waits of this topic goes first.
                flushDelayed();
            }
            deliver(topic, frame);
            if (fate < 20)
            {
                deliver(topic, frame);
            }
            flushDelayed();
        }

        private void deliver(final String topic, final byte[] frame)
        {
            harness.live(topic, frame.clone());
            answerRequests();
        }

        private void send(final String topic, final Runnable control)
        {
            if (random.nextInt(100) < 10)
            {
                return;
            }
            flushDelayed();
            control.run();
            answerRequests();
        }

        private void flushDelayed()
        {
            final List<Object[]> frames = new ArrayList<>(delayed);
            delayed.clear();
            for (final Object[] frame : frames)
            {
                deliver((String)frame[0], (byte[])frame[1]);
            }
        }

        /**
         * Turns the sequencer's new requests into answers queued for later: a fill's batches one by one, then its
         * done; a snapshot's entries (each topic's last sequence number now), then its done.
         */
        private void answerRequests()
        {
            for (final String request : harness.takeRequests())
            {
                final String[] words = request.split(" ");
                final long task = Long.parseLong(words[1]);
                switch (words[0])
                {
                    case "fill":
                        queueFill(task, words[2], Long.parseLong(words[3]), words[4]);
                        break;
                    case "snapshot":
                        queueSnapshot(task);
                        break;
                    case "catchup":
                        queueStream(task, words[2], Long.parseLong(words[3]), Long.parseLong(words[5]));
                        break;
                    case "cancel":
                        // A gap fill's answers keep coming (the sequencer ignores them); a stream stops.
                        cancelled.add(task);
                        break;
                    default:
                        throw new AssertionError(request);
                }
            }
        }

        private void queueFill(final long task, final String topic, final long fillEpoch, final String range)
        {
            final String[] bounds = range.split("\\.\\.");
            final long from = Long.parseLong(bounds[0]);
            final long to = "end".equals(bounds[1]) ? WireFormat.SEQUENCE_TO_END : Long.parseLong(bounds[1]);
            final List<byte[]> batches = history.getOrDefault(topic, Map.of()).getOrDefault(fillEpoch, List.of());
            for (final byte[] frame : batches)
            {
                final long first = SequencerHarness.firstSequence(frame);
                final long last = first + SequencerHarness.updateCount(frame) - 1;
                if (last >= from && first <= to)
                {
                    if (failing && random.nextInt(5) == 0)
                    {
                        answers.addLast(() -> harness.sequencer.onRequestDone(task, RecoveryRequests.NO_ANSWER));
                        return;
                    }
                    answers.addLast(() -> harness.recovered(task, topic, frame.clone()));
                }
            }
            answers.addLast(() -> harness.done(task));
        }

        /**
         * A catch-up stream: one batch per turn from where it is, for as long as the topic publishes; it ends when
         * it is cancelled, when everything of a session that is over or ended has been sent, or (a failing service)
         * at random.
         */
        private void queueStream(final long task, final String topic, final long streamEpoch, final long from)
        {
            final long[] next = {from};
            answers.addLast(new Runnable()
            {
                @Override
                public void run()
                {
                    if (cancelled.contains(task))
                    {
                        harness.sequencer.onRequestDone(task, RecoveryRequests.CANCELLED);
                        return;
                    }
                    if (failing && random.nextInt(20) == 0)
                    {
                        harness.sequencer.onRequestDone(task, RecoveryRequests.NO_ANSWER);
                        return;
                    }
                    for (final byte[] frame : history.getOrDefault(topic, Map.of()).getOrDefault(streamEpoch,
                        List.of()))
                    {
                        final long last =
                            SequencerHarness.firstSequence(frame) + SequencerHarness.updateCount(frame) - 1;
                        if (last >= next[0])
                        {
                            next[0] = last + 1;
                            harness.recovered(task, topic, frame.clone());
                            answers.addLast(this);
                            return;
                        }
                    }
                    if (streamEpoch != epoch || ended.contains(topic + "/" + streamEpoch))
                    {
                        harness.done(task);
                        return;
                    }
                    // At the topic's newest update: the stream waits for more.
                    answers.addLast(this);
                }
            });
        }

        private void queueSnapshot(final long task)
        {
            final long snapshotEpoch = epoch;
            final Map<String, Long> lasts = new LinkedHashMap<>(lastSequence);
            answers.addLast(() ->
            {
                lasts.forEach((topic, last) ->
                {
                    if (last > 0)
                    {
                        harness.entry(task, topic, snapshotEpoch, last);
                    }
                });
                harness.done(task);
            });
        }

        private void answerSome()
        {
            final int pages = random.nextInt(3);
            for (int i = 0; i < pages && !answers.isEmpty(); i++)
            {
                answers.pollFirst().run();
                answerRequests();
            }
        }

        /** The last sequence number published of a "topic/epoch", 0 if none. */
        private long published(final String topicAndEpoch)
        {
            final String[] parts = topicAndEpoch.split("/");
            final List<byte[]> batches = history.getOrDefault(parts[0], Map.of())
                .getOrDefault(Long.parseLong(parts[1]), List.of());
            if (batches.isEmpty())
            {
                return 0;
            }
            final byte[] last = batches.get(batches.size() - 1);
            return SequencerHarness.firstSequence(last) + SequencerHarness.updateCount(last) - 1;
        }

        private void check()
        {
            StopAccount.check(harness, TOPICS, this::published);
            final Undelivered undelivered = harness.sequencer.undelivered();
            assertThat(undelivered.pending()).as("nothing pending at the end").isEmpty();
            assertThat(undelivered.heldUpdates()).as("nothing held at the end").isZero();
            final List<String> events = harness.takeEvents();
            assertThat(harness.sequencer.idle()).as("idle at the end; events " + events).isTrue();
            for (final String topic : TOPICS)
            {
                checkTopic(topic, events);
            }
            if (!exact)
            {
                return;
            }
            if (SequencerHarness.TRACE)
            {
                events.forEach(System.out::println);
            }
            assertThat(events).noneMatch(event -> event.contains("unrecoverable"));
            assertThat(harness.counters.recovery().updatesUnrecoverable()).as("unrecoverable").isZero();
        }

        /**
         * Per session, in order: the updates from 1 (or from the snapshot) to the last one published (or to the last
         * one before the rest of the session was reported lost), each once, delivered or reported unrecoverable.
         */
        private void checkTopic(final String topic, final List<String> events)
        {
            final List<String> expected = new ArrayList<>();
            final Map<Long, Long> snapshots = new LinkedHashMap<>();
            final Map<Long, Long> lost = new LinkedHashMap<>();
            for (final String event : events)
            {
                if (event.startsWith(topic + " snapshot "))
                {
                    final String[] value = event.substring((topic + " snapshot ").length()).split("/");
                    snapshots.put(Long.parseLong(value[0]), Long.parseLong(value[1]));
                }
                if (event.startsWith(topic + " lost "))
                {
                    final String[] value = event.substring((topic + " lost ").length()).split("/");
                    lost.put(Long.parseLong(value[0]), Long.parseLong(value[1]));
                }
            }
            final List<String> delivered = new ArrayList<>();
            for (final String update : harness.accounted.getOrDefault(topic, List.of()))
            {
                delivered.add(update.replace("!", ""));
            }
            final Map<Long, List<byte[]>> sessions = history.getOrDefault(topic, Map.of());
            for (final Map.Entry<Long, List<byte[]>> session : sessions.entrySet())
            {
                final long sessionEpoch = session.getKey();
                final boolean seen = delivered.stream().anyMatch(update -> update.startsWith(sessionEpoch + "/")) ||
                    snapshots.containsKey(sessionEpoch);
                if (!seen)
                {
                    // A session of which this subscriber saw nothing at all (every frame of it dropped, and a later
                    // session started first): nothing tells it that it existed.
                    continue;
                }
                final List<byte[]> batches = session.getValue();
                final byte[] lastBatch = batches.get(batches.size() - 1);
                final long last = lost.containsKey(sessionEpoch) ? lost.get(sessionEpoch) :
                    SequencerHarness.firstSequence(lastBatch) + SequencerHarness.updateCount(lastBatch) - 1;
                for (long sequence = snapshots.getOrDefault(sessionEpoch, 0L) + 1; sequence <= last; sequence++)
                {
                    expected.add(sessionEpoch + "/" + sequence);
                }
            }
            assertThat(delivered).as(topic + " delivered or reported unrecoverable; events " + events)
                .isEqualTo(expected);
        }
    }
}
