package dev.feedhandler.subscriber;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.price.Prices;
import dev.feedhandler.common.wire.BatchWriter;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.DecodeError;
import dev.feedhandler.common.testing.LogCapture;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.receive.ListenerDispatcher;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class FeedSubscriberTest
{
    private static final long EPOCH = 1_000;

    private final RawPublisher publisher = new RawPublisher();
    private final RecordingListener listener = new RecordingListener();
    private FeedSubscriber subscriber;

    @AfterEach
    void tearDown()
    {
        if (subscriber != null)
        {
            subscriber.close();
        }
        publisher.close();
    }

    private void start(final FeedListener feedListener, final int maxFrameBytes, final String... topics)
    {
        subscriber = FeedSubscriber.builder()
            .endpoint(publisher.endpoint())
            .topics(List.of(topics))
            .maxFrameBytes(maxFrameBytes)
            .ringSize(64)
            .heartbeatIntervalMs(0)
            .listener(feedListener)
            .build()
            .start();
        publisher.awaitHello(Duration.ofSeconds(10));
    }

    private void start(final String... topics)
    {
        start(listener, 1024 * 1024, topics);
    }

    private static byte[] batch(final long epoch, final long firstSequence, final int quotes, final int trades)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        final BatchWriter writer = new BatchWriter().wrap(buffer, 0);
        for (int i = 0; i < quotes; i++)
        {
            final long sequence = firstSequence + i;
            writer.appendQuote(7, Prices.parse("1.1") + sequence, 100 + sequence, Prices.parse("1.2") + sequence,
                200 + sequence, 5_000 + sequence);
        }
        for (int i = 0; i < trades; i++)
        {
            final long sequence = firstSequence + quotes + i;
            writer.appendTrade(7, AggressorSide.BUY, Prices.parse("1.15"), 10 * sequence, sequence, 6_000 + sequence);
        }
        final int length = writer.finish(epoch, firstSequence, 123_456_789L, false);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    private static byte[] heartbeat(final long epoch, final long lastSequence, final boolean end)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.HEARTBEAT_LENGTH]);
        new ControlWriter().heartbeat(buffer, 0, epoch, lastSequence, 1L, end);
        return buffer.byteArray();
    }

    @Test
    void shouldDeliverQuotesAndTradesInOrderWithTheValuesSent()
    {
        start();
        publisher.send("EURUSD", batch(EPOCH, 1, 2, 1));
        publisher.send("EURUSD", batch(EPOCH, 4, 1, 0));

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.events().size() == 4);
        assertThat(listener.events()).containsExactly(
            "EURUSD Q 1 7 1.100000001x101 1.200000001x201 @5001",
            "EURUSD Q 2 7 1.100000002x102 1.200000002x202 @5002",
            "EURUSD T 3 7 BUY 1.15x30 #3 @6003",
            "EURUSD Q 4 7 1.100000004x104 1.200000004x204 @5004");
        assertThat(subscriber.counters().gapsDetected()).isZero();
        assertThat(subscriber.counters().updatesDelivered()).isEqualTo(4);
    }

    @Test
    void shouldCallTheListenerOnTheReceiversThreadWhenAskedTo()
    {
        final List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        final FeedListener recording = new FeedListener()
        {
            @Override
            public void onQuote(final Topic topic, final long sequence, final QuoteView quote)
            {
                threads.add(Thread.currentThread().getName());
                listener.onQuote(topic, sequence, quote);
            }

            @Override
            public void onTrade(final Topic topic, final long sequence, final TradeView trade)
            {
                threads.add(Thread.currentThread().getName());
                listener.onTrade(topic, sequence, trade);
            }

            @Override
            public void onGap(final Topic topic, final long from, final long to, final boolean unrecoverable)
            {
                listener.onGap(topic, from, to, unrecoverable);
            }
        };
        subscriber = FeedSubscriber.builder().endpoint(publisher.endpoint()).heartbeatIntervalMs(0)
            .listenerOnReceiverThread(true).listener(recording).build().start();
        publisher.awaitHello(Duration.ofSeconds(10));
        publisher.send("EURUSD", batch(EPOCH, 1, 2, 1));
        publisher.send("EURUSD", batch(EPOCH, 5, 1, 0));

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.events().size() == 5);
        assertThat(listener.events()).containsExactly(
            "EURUSD Q 1 7 1.100000001x101 1.200000001x201 @5001",
            "EURUSD Q 2 7 1.100000002x102 1.200000002x202 @5002",
            "EURUSD T 3 7 BUY 1.15x30 #3 @6003",
            "EURUSD GAP 4..4 lost",
            "EURUSD Q 5 7 1.100000005x105 1.200000005x205 @5005");
        assertThat(threads).containsOnly("feed-receiver");
        assertThat(subscriber.ringCapacity()).isEqualTo(1);
        assertThat(subscriber.ringOccupancy()).isZero();
    }

    @Test
    void shouldReceiveOnlyWhenTheEmbeddersLoopInvokesTheReceiver()
    {
        subscriber = FeedSubscriber.builder().endpoint(publisher.endpoint()).heartbeatIntervalMs(0)
            .useAgentInvoker(true).listenerOnReceiverThread(true).listener(listener).build().start();
        assertThat(subscriber.agentInvoker()).isNotNull();
        // Nothing runs the receiver but this thread (also its stalled-connect watchdog): it invokes while it waits.
        await().atMost(Duration.ofSeconds(20)).until(() ->
        {
            subscriber.agentInvoker().invoke();
            return publisher.pollHello(10);
        });
        publisher.send("EURUSD", batch(EPOCH, 1, 1, 0));
        // What arrives waits in the socket until the loop invokes the receiver.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> listener.events().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() ->
        {
            subscriber.agentInvoker().invoke();
            return listener.events().size() == 1;
        });
        assertThat(listener.events()).containsExactly("EURUSD Q 1 7 1.100000001x101 1.200000001x201 @5001");
    }

    @Test
    void shouldReportAGapWhenSequenceNumbersJump()
    {
        start();
        publisher.send("GBPUSD", batch(EPOCH, 1, 2, 0));
        publisher.send("GBPUSD", batch(EPOCH, 5, 2, 0));

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.events().size() == 5);
        assertThat(listener.events()).extracting(e -> e.split(" @")[0].split(" 7 ")[0]).containsExactly(
            "GBPUSD Q 1", "GBPUSD Q 2", "GBPUSD GAP 3..4 lost", "GBPUSD Q 5", "GBPUSD Q 6");
        assertThat(subscriber.counters().gapsDetected()).isEqualTo(1);
        assertThat(subscriber.counters().updatesLost()).isEqualTo(2);
    }

    @Test
    void shouldReportUpdatesMissedBeforeTheFirstBatchSeen()
    {
        start();
        publisher.send("USDJPY", batch(EPOCH, 3, 1, 0));

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.events().size() == 2);
        assertThat(listener.events().get(0)).isEqualTo("USDJPY GAP 1..2 lost");
    }

    @Test
    void shouldDropDuplicatesAndDeliverOnlyTheNewPartOfAnOverlap()
    {
        start();
        publisher.send("EURGBP", batch(EPOCH, 1, 3, 0));
        publisher.send("EURGBP", batch(EPOCH, 2, 2, 0));
        publisher.send("EURGBP", batch(EPOCH, 3, 3, 0));

        await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.counters().batchesReceived() == 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.events().size() == 5);
        assertThat(listener.eventsWith(" Q ")).extracting(e -> e.split(" ")[2])
            .containsExactly("1", "2", "3", "4", "5");
        assertThat(subscriber.counters().duplicateUpdates()).isEqualTo(3);
        assertThat(subscriber.counters().gapsDetected()).isZero();
    }

    @Test
    void shouldDetectTailLossFromAHeartbeatAndReportTheEndOfATopic()
    {
        start();
        publisher.send("AUDUSD", batch(EPOCH, 1, 2, 0));
        publisher.send("AUDUSD", heartbeat(EPOCH, 4, false));
        publisher.send("AUDUSD", heartbeat(EPOCH, 4, true));

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.events().size() == 4);
        assertThat(listener.events().subList(2, 4)).containsExactly("AUDUSD GAP 3..4 lost", "AUDUSD END 4");
        assertThat(subscriber.counters().heartbeats()).isEqualTo(2);
        assertThat(subscriber.counters().updatesLost()).isEqualTo(2);
    }

    @Test
    void shouldRestartSequencesOnANewEpochAndDropLateMessagesOfTheOldOne()
    {
        start();
        publisher.send("USDCHF", batch(EPOCH, 1, 2, 0));
        publisher.send("USDCHF", batch(EPOCH + 1, 1, 1, 0));
        publisher.send("USDCHF", batch(EPOCH, 3, 1, 0));
        publisher.send("USDCHF", batch(EPOCH + 1, 2, 1, 0));

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.events().size() == 4);
        assertThat(listener.events()).extracting(e -> e.split(" ")[2]).containsExactly("1", "2", "1", "2");
        assertThat(subscriber.counters().epochChanges()).isEqualTo(1);
        assertThat(subscriber.counters().staleEpochDrops()).isEqualTo(1);
        assertThat(subscriber.counters().gapsDetected()).isZero();
    }

    @Test
    void shouldDeliverTheEndOfTheSessionFromTheControlTopic()
    {
        start("EUR");
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.SESSION_STATUS_LENGTH]);
        new ControlWriter().sessionStatus(buffer, 0, EPOCH, 1L, 10, 2, 3, SessionState.ENDED);
        publisher.send("EURUSD", batch(EPOCH, 1, 1, 0));
        publisher.send(WireFormat.CONTROL_TOPIC, buffer.byteArray());
        publisher.send(WireFormat.CONTROL_TOPIC, buffer.byteArray());

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.sessionEnds() == 1);
        assertThat(listener.events()).hasSize(2).last().isEqualTo("SESSION END " + EPOCH);
        assertThat(subscriber.counters().sessionEnds()).isEqualTo(1);
    }

    @Test
    void shouldNeverDeliverTopicsOutsideItsPrefixes()
    {
        start("EUR", "USDJ");
        publisher.send("GBPUSD", batch(EPOCH, 1, 1, 0));
        publisher.send("EURUSD", batch(EPOCH, 1, 1, 0));
        publisher.send("AUDUSD", batch(EPOCH, 1, 1, 0));
        publisher.send("USDJPY", batch(EPOCH, 1, 1, 0));
        publisher.send("EURGBP", batch(EPOCH, 1, 1, 0));

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.events().size() == 3);
        assertThat(listener.events()).extracting(e -> e.split(" ")[0])
            .containsExactly("EURUSD", "USDJPY", "EURGBP");
    }

    @Test
    void shouldCountAndSkipMalformedMessagesAndKeepReceiving()
    {
        start(listener, 4096);
        final byte[] valid = batch(EPOCH, 1, 2, 0);
        final byte[] wrongSchema = valid.clone();
        wrongSchema[4] = 99;
        final byte[] unknownTemplate = valid.clone();
        unknownTemplate[2] = 77;
        final byte[] trailing = Arrays.copyOf(valid, valid.length + 3);
        final byte[] oldVersion = valid.clone();
        oldVersion[6] = 0;
        final byte[] badBlockLength = valid.clone();
        badBlockLength[0] = 4;

        publisher.sendFrames("EURUSD".getBytes(StandardCharsets.US_ASCII));
        publisher.sendFrames("EURUSD".getBytes(StandardCharsets.US_ASCII), valid, valid);
        publisher.sendFrames(new byte[0], valid);
        publisher.sendFrames(new byte[] {'E', 1, 'R'}, valid);
        publisher.sendFrames(new byte[WireFormat.MAX_TOPIC_LENGTH + 1], valid);
        publisher.send("EURUSD", Arrays.copyOf(valid, valid.length - 1));
        publisher.send("EURUSD", Arrays.copyOf(valid, 5));
        publisher.send("EURUSD", wrongSchema);
        publisher.send("EURUSD", unknownTemplate);
        publisher.send("EURUSD", trailing);
        publisher.send("EURUSD", oldVersion);
        publisher.send("EURUSD", badBlockLength);
        publisher.send("EURUSD", new byte[5000]);
        publisher.send("EURUSD", heartbeat(EPOCH, 0, false).clone());
        publisher.send(WireFormat.CONTROL_TOPIC, valid);
        publisher.send("EURUSD", valid);

        // The last valid batch was sent last on the one connection: once something is delivered, every malformed
        // message before it was handled. Waiting for "at least" lets an unexpected extra event fail the exact check
        // below with the events listed, instead of a timeout that shows nothing.
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.events().size() >= 2);
        assertThat(listener.events()).extracting(e -> e.split(" ")[2]).containsExactly("1", "2");
        final SubscriberCounters counters = subscriber.counters();
        assertThat(counters.decodeErrors(DecodeError.MISSING_PAYLOAD)).isEqualTo(1);
        assertThat(counters.decodeErrors(DecodeError.EXTRA_FRAMES)).isEqualTo(1);
        assertThat(counters.decodeErrors(DecodeError.BAD_TOPIC)).isEqualTo(3);
        assertThat(counters.decodeErrors(DecodeError.TRUNCATED)).isEqualTo(2);
        assertThat(counters.decodeErrors(DecodeError.WRONG_SCHEMA)).isEqualTo(1);
        assertThat(counters.decodeErrors(DecodeError.UNKNOWN_TEMPLATE)).isEqualTo(1);
        assertThat(counters.decodeErrors(DecodeError.TRAILING_BYTES)).isEqualTo(1);
        assertThat(counters.decodeErrors(DecodeError.UNSUPPORTED_VERSION)).isEqualTo(1);
        assertThat(counters.decodeErrors(DecodeError.BAD_BLOCK_LENGTH)).isEqualTo(1);
        assertThat(counters.decodeErrors(DecodeError.OVERSIZED)).isEqualTo(1);
        assertThat(counters.decodeErrors(DecodeError.UNEXPECTED_MESSAGE)).isEqualTo(1);
        assertThat(counters.decodeErrors()).isEqualTo(14);
    }

    @Test
    void shouldCountListenerExceptionsAndDeliverTheRest()
    {
        final RecordingListener recorder = new RecordingListener();
        start(new FeedListener()
        {
            @Override
            public void onQuote(final Topic topic, final long sequence, final QuoteView quote)
            {
                if (sequence == 2)
                {
                    throw new IllegalStateException("listener bug on purpose");
                }
                recorder.onQuote(topic, sequence, quote);
            }

            @Override
            public void onTrade(final Topic topic, final long sequence, final TradeView trade)
            {
                recorder.onTrade(topic, sequence, trade);
            }
        }, 1024 * 1024);
        publisher.send("NZDUSD", batch(EPOCH, 1, 3, 0));
        publisher.send("NZDUSD", batch(EPOCH, 4, 1, 0));

        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.events().size() == 3);
        assertThat(recorder.events()).extracting(e -> e.split(" ")[2]).containsExactly("1", "3", "4");
        assertThat(subscriber.counters().listenerErrors()).isEqualTo(1);
    }

    @Test
    void shouldLogARepeatingListenerErrorOnceAndCountEveryOccurrence()
    {
        final RecordingListener recorder = new RecordingListener();
        try (LogCapture log = LogCapture.of(ListenerDispatcher.class))
        {
            start(new FeedListener()
            {
                @Override
                public void onQuote(final Topic topic, final long sequence, final QuoteView quote)
                {
                    recorder.onQuote(topic, sequence, quote);
                    throw new IllegalStateException("listener bug on purpose");
                }

                @Override
                public void onTrade(final Topic topic, final long sequence, final TradeView trade)
                {
                    recorder.onTrade(topic, sequence, trade);
                }
            }, 1024 * 1024);
            publisher.send("NZDUSD", batch(EPOCH, 1, 3, 0));
            publisher.send("NZDUSD", batch(EPOCH, 4, 2, 0));

            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.counters().listenerErrors() == 5);
            assertThat(recorder.events()).hasSize(5);
            assertThat(log.lines().stream().filter(line -> line.startsWith("ERROR"))).containsExactly(
                "ERROR listener threw; delivery continues (repeats of this error are counted, not logged)");
            final List<String> recorded = new java.util.ArrayList<>();
            subscriber.counters().process().errors().read((count, first, last, text) ->
                recorded.add(count + " " + text.lines().findFirst().orElse("")));
            assertThat(recorded).containsExactly("5 java.lang.IllegalStateException: listener bug on purpose");
        }
    }

    @Test
    void shouldReplaceTheSocketWhenAConnectionNeverCompletesItsHandshake() throws Exception
    {
        // A TCP server that accepts and never answers the ZeroMQ greeting: what a stalled JeroMQ connection looks
        // like from the subscriber's side.
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50,
            java.net.InetAddress.getLoopbackAddress()))
        {
            final java.util.List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            final Thread acceptor = new Thread(() ->
            {
                try
                {
                    while (!silent.isClosed())
                    {
                        accepted.add(silent.accept());
                    }
                }
                catch (final java.io.IOException ignored)
                {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            subscriber = FeedSubscriber.builder()
                .endpoint("tcp://127.0.0.1:" + silent.getLocalPort())
                .handshakeTimeoutMs(200)
                .listener(listener)
                .build()
                .start();

            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.counters().reconnects() >= 2);
            assertThat(accepted.size()).isGreaterThanOrEqualTo(2);
            for (final java.net.Socket socket : accepted)
            {
                socket.close();
            }
        }
    }

    @Test
    void shouldRejectAMalformedEndpointWithAOneLineMessage()
    {
        final FeedSubscriber bad = FeedSubscriber.builder().endpoint("nonsense").listener(listener).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(bad::start)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("cannot connect nonsense: malformed endpoint")
            .hasMessageNotContaining("\n");
    }

    @Test
    void shouldSayWhyAnEndpointCannotBeConnectedBeforeOpeningAnySocket()
    {
        final String[][] cases = {
            {"udp://127.0.0.1:5000", null, "cannot connect udp://127.0.0.1:5000: unsupported transport 'udp'"},
            {"tcp://127.0.0.1:99999", null, "cannot connect tcp://127.0.0.1:99999: port 99999 out of range"},
            {"tcp://no-such-host.invalid:5556", null,
                "cannot connect tcp://no-such-host.invalid:5556: unknown host no-such-host.invalid"},
            // The recovery endpoint is connected on the recovery client's thread: checked up front all the same.
            {"tcp://127.0.0.1:5556", "tcp://127.0.0.1:5557,tcp://no-such-host.invalid:5557",
                "cannot connect tcp://no-such-host.invalid:5557: unknown host no-such-host.invalid"},
        };
        for (final String[] c : cases)
        {
            final FeedSubscriber bad = FeedSubscriber.builder().endpoint(c[0]).recoveryEndpoint(c[1])
                .listener(listener).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(bad::start).as(c[0])
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(c[2])
                .hasMessageNotContaining("\n");
        }
    }
}
