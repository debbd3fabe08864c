package dev.feedhandler.cli.options;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.journal.JournalConfiguration;
import dev.feedhandler.journal.JournalException;
import dev.feedhandler.journal.JournalRecorder;
import dev.feedhandler.journal.Origin;
import dev.feedhandler.publisher.FeedPublisher;
import dev.feedhandler.publisher.PublisherConfiguration;
import dev.feedhandler.publisher.PublisherContext;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.recovery.DropSpec;
import dev.feedhandler.publisher.recovery.RecoveryConfiguration;
import dev.feedhandler.publisher.source.Instrument;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.source.SyntheticSource;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import dev.feedhandler.subscriber.FeedListener;
import dev.feedhandler.subscriber.FeedSubscriber;
import dev.feedhandler.subscriber.QuoteView;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.TradeView;
import org.zeromq.ZContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * {@code subscribe --warm-up} and {@code publish --warm-up}, on by default: before the real subscriber (publisher)
 * starts, runs a private feed through the catch-up path once, so that the JIT has compiled the process's side of it
 * (the recovery service's streams; the subscriber's catch-up streams and their merge into the live feed) when the first
 * real stall comes. The first catch-up of a process otherwise runs while its code is compiled, at about half the rate
 * of a later one; with the subscriber's warm-up, 2.97 M updates/s median against 2.67 without in the runs of 7 Dec, and
 * with the publisher's streaming from a journal of its own too, 3.83 against 3.34 without that journal, ten alternated
 * rounds on another machine later that day (docs/benchmarks-catch-up.md).
 * <p>
 * In this JVM, on loopback tcp endpoints (ports the system chooses) of a ZeroMQ context of its own, so that the
 * JeroMQ I/O thread's side of it (stream engine, decoder, poller) is compiled too, which inproc endpoints skip: a
 * publisher of {@link #UPDATES} synthetic updates over {@link #INSTRUMENTS} topics, flat out, with its recovery
 * service, whose drop hook keeps a range of every topic larger than a recovery page off the socket, and a subscriber
 * that therefore catches every topic up with a stream from the service and merges it into the live feed, as a
 * stalled subscriber does. Nothing of it reaches the real process's feed: other objects, other sockets, another
 * context; only the compiled code is shared. A stop signal during it takes effect once it is over. Cold path.
 * <p>
 * For a publisher with a journal ({@link #run(Duration, boolean)}), the private feed has one too, in a temporary
 * directory deleted afterwards, and a recovery window of {@link #JOURNAL_WINDOW_BYTES}, so that most of each stream
 * is read from the journal, as a long stall's is: without it the first real catch-up compiled the journal's read path
 * (Chronicle's tailer, the journal reader and its callbacks) while it ran: over a second of C2 compilation in the
 * publisher during a catch-up of about 1.2 s on two cores (7 Dec 2026, docs/benchmarks-catch-up.md).
 */
public final class CatchUpWarmUp
{
    /** Updates the private feed publishes. */
    public static final long UPDATES = 1_000_000;

    /** Topics of the private feed. */
    public static final int INSTRUMENTS = 10;

    /** Where the private feed and its recovery service bind: loopback, a port the system chooses. */
    private static final String LOOPBACK = "tcp://127.0.0.1:0";

    /**
     * The private recovery window with a journal: far smaller than the {@link #DROPPED_FROM}-{@link #DROPPED_TO} range
     * of all topics, so that streams read most of it from the journal.
     */
    static final int JOURNAL_WINDOW_BYTES = 1024 * 1024;

    /**
     * Most updates per batch of the private feed with a journal, and no message budget: flat out its batches would
     * hold up to a thousand updates, so that the streams read a few hundred journal entries, too few for the JIT's
     * last tier; batches of a live feed's size (about 25 updates at 500k/s within the default budget) make them read
     * some 39,000 (38,870 in a run of 7 Dec; 79,055 with {@link #JOURNAL_UPDATES}).
     */
    static final int JOURNAL_BATCH_UPDATES = 25;

    /** The range of each topic kept off the socket: six recovery pages, streamed rather than filled. */
    private static final long DROPPED_FROM = 1_001;
    private static final long DROPPED_TO = 61_000;

    /**
     * Updates of the private feed with a journal, and the end of each topic's range kept off the socket: twice the
     * feed and nearly three times the range, so that the journal reader's loop runs long enough for the JIT's last
     * tier (with the feed and range of the journal-less warm-up it reached only the profiling tier before the warm-up
     * ended, and was compiled during the first real catch-up: 0.37 s of C2 in one run of 7 Dec).
     */
    static final long JOURNAL_UPDATES = 2_000_000;
    private static final long JOURNAL_DROPPED_TO = 161_000;

    private CatchUpWarmUp()
    {
    }

    /**
     * Runs the private feed until its subscriber has heard the session's end (every update delivered or reported
     * lost: the subscriber passes the end on only then), or the time is up.
     *
     * @param timeout the most it may take.
     * @return what it did, one line.
     */
    public static String run(final Duration timeout)
    {
        return run(timeout, false);
    }

    /**
     * Runs the private feed, with a journal of its own if asked, until its subscriber has heard the session's end or
     * the time is up. Without a journal if its temporary directory cannot be made (said in the line returned).
     *
     * @param timeout the most it may take.
     * @param journal whether the private feed journals and streams from its journal (for {@code publish --journal}).
     * @return what it did, one line.
     */
    public static String run(final Duration timeout, final boolean journal)
    {
        Path directory = null;
        String withJournal = "";
        if (journal)
        {
            try
            {
                directory = Files.createTempDirectory("feed-warm-up-journal-");
            }
            catch (final IOException | UnsupportedOperationException | SecurityException ex)
            {
                withJournal = ", without a journal (cannot create a temporary directory: " + ex.getMessage() + ")";
            }
        }
        try
        {
            final EndWatch endWatch = new EndWatch();
            return run(timeout, directory, endWatch, endWatch::ended) + withJournal;
        }
        catch (final JournalException ex)
        {
            return "did not warm up the catch-up path: its private journal could not be opened: " + ex.getMessage();
        }
        finally
        {
            deleteQuietly(directory);
        }
    }

    /**
     * Runs the private feed into a listener of the caller's, of the same classes as the real subscriber's, so that
     * the calls from the dispatch into it are compiled for the receiver types the real run will have (with a listener
     * of its own, they deoptimized at the first real catch-up and were compiled again while it ran), until the
     * listener has heard the session's end or the time is up.
     *
     * @param timeout  the most it may take.
     * @param listener a listener like the real one, with no effect outside it (it prints nothing, stops nothing real).
     * @param ended    whether the listener has heard the session's end.
     * @return what it did, one line.
     */
    public static String run(final Duration timeout, final FeedListener listener, final BooleanSupplier ended)
    {
        return run(timeout, null, listener, ended);
    }

    private static String run(final Duration timeout, final Path journal, final FeedListener listener,
        final BooleanSupplier ended)
    {
        final long startNs = System.nanoTime();
        String fromJournal = "";
        final long updates = journal == null ? UPDATES : JOURNAL_UPDATES;
        long delivered = 0;
        long gaps = 0;
        try (ZContext context = new ZContext())
        {
            final InstrumentRegistry registry = new InstrumentRegistry();
            final SyntheticSource source = new SyntheticSource(new SyntheticConfiguration(INSTRUMENTS, Long.MAX_VALUE,
                SyntheticConfiguration.DEFAULT_SEED, SyntheticConfiguration.DEFAULT_TRADE_RATIO, 0,
                Duration.ofSeconds(1), updates), registry, WallClock.shared());
            final StringJoiner drops = new StringJoiner(",");
            for (final Instrument instrument : registry.instruments())
            {
                drops.add(instrument.symbol() + ":" + DROPPED_FROM + "-" + (journal == null ? DROPPED_TO :
                    JOURNAL_DROPPED_TO));
            }
            final BatchConfiguration batches = journal == null ? BatchConfiguration.defaults() :
                new BatchConfiguration(JOURNAL_BATCH_UPDATES, BatchConfiguration.DEFAULT_MAX_BYTES,
                    BatchConfiguration.DEFAULT_LINGER_NS, 0);
            final PublisherConfiguration configuration = new PublisherConfiguration(batches,
                SocketConfiguration.defaults(List.of(LOOPBACK)), Duration.ofMillis(100), 1,
                Duration.ofSeconds(10), null, PublisherConfiguration.DEFAULT_IDLE_STRATEGY);
            final RecoveryConfiguration recovery = journal == null ? RecoveryConfiguration.defaults() :
                new RecoveryConfiguration(null, JOURNAL_WINDOW_BYTES, RecoveryConfiguration.DEFAULT_MAX_REPLY_UPDATES,
                    RecoveryConfiguration.DEFAULT_MAX_REPLY_BYTES, RecoveryConfiguration.DEFAULT_RING_BYTES,
                    Duration.ZERO, journal, DropSpec.NONE);
            final JournalRecorder recorder = journal == null ? null :
                JournalRecorder.open(JournalConfiguration.defaults(journal), Origin.SENT, "warm-up-journal").start();
            final FeedPublisher publisher;
            try
            {
                publisher = new FeedPublisher(new PublisherContext().configuration(configuration).source(source)
                    .registry(registry).zContext(context).journal(recorder)
                    .recovery(recovery.withBind(LOOPBACK).withDrop(DropSpec.parse(drops.toString()))
                        .withLinger(Duration.ZERO)));
            }
            catch (final RuntimeException ex)
            {
                if (recorder != null)
                {
                    recorder.close();
                }
                throw ex;
            }
            try (publisher)
            {
                final FeedSubscriber subscriber = FeedSubscriber.builder().context(context)
                    .endpoint(publisher.boundEndpoints().get(0)).recoveryEndpoint(publisher.recoveryEndpoint())
                    .heartbeatIntervalMs(100).listener(listener).build().start();
                final Thread thread = new Thread(publisher::run, "warm-up-publisher");
                thread.setDaemon(true);
                thread.start();
                final long deadlineNs = startNs + timeout.toNanos();
                while (!ended.getAsBoolean() && System.nanoTime() - deadlineNs < 0)
                {
                    LockSupport.parkNanos(10_000_000L);
                }
                delivered = subscriber.counters().updatesDelivered();
                gaps = subscriber.counters().gapsDetected();
                subscriber.close();
                publisher.requestStop();
                join(thread);
                if (journal != null)
                {
                    fromJournal = String.format(", %,d batches streamed from a journal of its own",
                        batchesFromJournal(publisher.summary()));
                }
            }
        }
        return String.format("warmed up the catch-up path: %,d of %,d updates of a private feed in %d ms, %d gaps " +
            "recovered", delivered, updates, (System.nanoTime() - startNs) / 1_000_000, gaps) + fromJournal;
    }

    private static Object batchesFromJournal(final Map<String, Object> summary)
    {
        return summary.get("recovery") instanceof Map<?, ?> recovery ? recovery.get("batchesFromJournal") : 0;
    }

    private static void deleteQuietly(final Path directory)
    {
        if (directory == null)
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // A temporary directory: the system's cleaning takes what is left.
        }
    }

    private static void join(final Thread thread)
    {
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Hears the private session's end, and nothing else. */
    private static final class EndWatch implements FeedListener
    {
        private volatile boolean ended;

        @Override
        public void onSessionEnd(final long sessionEpoch)
        {
            ended = true;
        }

        @Override
        public void onQuote(final Topic topic, final long sequence, final QuoteView quote)
        {
        }

        @Override
        public void onTrade(final Topic topic, final long sequence, final TradeView trade)
        {
        }

        boolean ended()
        {
            return ended;
        }
    }
}
