package dev.feedhandler.publisher;

import dev.feedhandler.common.counters.ProcessCounters;
import dev.feedhandler.common.socket.SocketSetup;
import dev.feedhandler.journal.JournalRecorder;
import dev.feedhandler.publisher.conflate.ConflationConfiguration;
import dev.feedhandler.publisher.recovery.RecoveryConfiguration;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.PriceSource;
import org.zeromq.ZContext;

import java.util.StringJoiner;
import java.util.function.IntSupplier;

/**
 * Everything a {@link FeedPublisher} is made of, in one place, as Aeron's {@code Context}: the settings, the price
 * source and its instruments (required), and what is optional: a ZeroMQ context to share, a journal, the socket
 * setups (CURVE, event logs), the recovery service's settings and the conflated stream's. Set with the fluent
 * setters, then hand it to {@link FeedPublisher#FeedPublisher(PublisherContext)}, which {@linkplain #conclude()
 * concludes} it: it is validated once, and from then on it cannot change. Cold path.
 */
public final class PublisherContext
{
    private PublisherConfiguration configuration;
    private PriceSource source;
    private InstrumentRegistry registry;
    private ZContext zContext;
    private JournalRecorder journal;
    private SocketSetup socketSetup = SocketSetup.NONE;
    private RecoveryConfiguration recovery;
    private SocketSetup recoverySocketSetup = SocketSetup.NONE;
    private IntSupplier recoveryClients;
    private ConflationConfiguration conflation;
    private ProcessCounters counters;
    private boolean repeatBatches;
    private boolean concluded;

    /**
     * The settings (required).
     *
     * @param configuration batching, socket, heartbeat, await, duration and idle settings.
     * @return this.
     */
    public PublisherContext configuration(final PublisherConfiguration configuration)
    {
        checkOpen();
        this.configuration = configuration;
        return this;
    }

    /**
     * Where prices come from (required); the publisher closes it.
     *
     * @param source the source.
     * @return this.
     */
    public PublisherContext source(final PriceSource source)
    {
        checkOpen();
        this.source = source;
        return this;
    }

    /**
     * The instruments the source registered and will register (required).
     *
     * @param registry the registry.
     * @return this.
     */
    public PublisherContext registry(final InstrumentRegistry registry)
    {
        checkOpen();
        this.registry = registry;
        return this;
    }

    /**
     * A ZeroMQ context to share (for inproc subscribers in this process, or for a ZAP handler); by default the
     * publisher owns one.
     *
     * @param zContext the context, or null to own one.
     * @return this.
     */
    public PublisherContext zContext(final ZContext zContext)
    {
        checkOpen();
        this.zContext = zContext;
        return this;
    }

    /**
     * A started journal recorder that gets every frame sent; the publisher closes it. By default none.
     *
     * @param journal the recorder, or null.
     * @return this.
     */
    public PublisherContext journal(final JournalRecorder journal)
    {
        checkOpen();
        this.journal = journal;
        return this;
    }

    /**
     * Applied to the feed socket before it binds (CURVE, event log). By default nothing.
     *
     * @param socketSetup the setup.
     * @return this.
     */
    public PublisherContext socketSetup(final SocketSetup socketSetup)
    {
        checkOpen();
        this.socketSetup = socketSetup == null ? SocketSetup.NONE : socketSetup;
        return this;
    }

    /**
     * The recovery service's settings (with the bind endpoint {@link RecoveryConfiguration#NONE}: no service, only
     * the drop test hook). By default no recovery service.
     *
     * @param recovery the settings, or null.
     * @return this.
     */
    public PublisherContext recovery(final RecoveryConfiguration recovery)
    {
        checkOpen();
        this.recovery = recovery;
        return this;
    }

    /**
     * Applied to the recovery service's socket before it binds. By default nothing.
     *
     * @param recoverySocketSetup the setup.
     * @return this.
     */
    public PublisherContext recoverySocketSetup(final SocketSetup recoverySocketSetup)
    {
        checkOpen();
        this.recoverySocketSetup = recoverySocketSetup == null ? SocketSetup.NONE : recoverySocketSetup;
        return this;
    }

    /**
     * How many subscribers are connected to the recovery service now (e.g. its socket's
     * {@code SocketEventLog::peers}): after the session, the service goes on answering while any is, up to
     * {@code RecoveryConfiguration#lingerMax()}. By default unknown: only requests keep it answering.
     *
     * @param connected the count, read from any thread, or null for unknown.
     * @return this.
     */
    public PublisherContext recoveryClients(final IntSupplier connected)
    {
        checkOpen();
        this.recoveryClients = connected;
        return this;
    }

    /**
     * Serves a conflated stream on a second XPUB socket ({@code --conflated-bind}). By default none.
     *
     * @param conflation the stream's settings, or null for none.
     * @return this.
     */
    public PublisherContext conflation(final ConflationConfiguration conflation)
    {
        checkOpen();
        this.conflation = conflation;
        return this;
    }

    /**
     * Sends every data batch twice, the copy right after the original ({@code --repeat-batches}, packet repetition):
     * a subscriber then misses a batch only when both messages are lost, at twice the messages on the wire. For lines
     * that lose single messages independently (the {@code --drop-batches random:P%} model); see
     * {@link dev.feedhandler.publisher.transport.RepeatingPublication}. Off by default.
     *
     * @param on whether to repeat.
     * @return this.
     */
    public PublisherContext repeatBatches(final boolean on)
    {
        checkOpen();
        this.repeatBatches = on;
        return this;
    }

    /**
     * Where the counters and the error log live: a counters file that {@code feed stat} reads; whoever created it
     * closes it, after the publisher.
     *
     * @param counters the process's counters, or null (the default) to keep them in memory.
     * @return this.
     */
    public PublisherContext counters(final ProcessCounters counters)
    {
        checkOpen();
        this.counters = counters;
        return this;
    }

    /**
     * Checks that what is required is there and freezes the context. Idempotent.
     *
     * @return this.
     * @throws IllegalStateException naming what is missing.
     */
    public PublisherContext conclude()
    {
        final StringJoiner missing = new StringJoiner(", ");
        if (configuration == null)
        {
            missing.add("configuration");
        }
        if (source == null)
        {
            missing.add("source");
        }
        if (registry == null)
        {
            missing.add("registry");
        }
        if (missing.length() > 0)
        {
            throw new IllegalStateException("a publisher needs a configuration, a source and a registry; missing: " +
                missing);
        }
        concluded = true;
        return this;
    }

    private void checkOpen()
    {
        if (concluded)
        {
            throw new IllegalStateException("the publisher context is concluded (a publisher was made from it)");
        }
    }

    /**
     * The settings.
     *
     * @return the configuration.
     */
    public PublisherConfiguration configuration()
    {
        return configuration;
    }

    /**
     * The price source.
     *
     * @return the source.
     */
    public PriceSource source()
    {
        return source;
    }

    /**
     * The instruments.
     *
     * @return the registry.
     */
    public InstrumentRegistry registry()
    {
        return registry;
    }

    /**
     * The shared ZeroMQ context.
     *
     * @return the context, or null if the publisher owns one.
     */
    public ZContext zContext()
    {
        return zContext;
    }

    /**
     * The journal.
     *
     * @return the recorder, or null.
     */
    public JournalRecorder journal()
    {
        return journal;
    }

    /**
     * The feed socket's setup.
     *
     * @return the setup, never null.
     */
    public SocketSetup socketSetup()
    {
        return socketSetup;
    }

    /**
     * The recovery service's settings.
     *
     * @return the settings, or null for no recovery service.
     */
    public RecoveryConfiguration recovery()
    {
        return recovery;
    }

    /**
     * The recovery socket's setup.
     *
     * @return the setup, never null.
     */
    public SocketSetup recoverySocketSetup()
    {
        return recoverySocketSetup;
    }

    /**
     * How many subscribers are connected to the recovery service.
     *
     * @return the count's supplier, or null for unknown.
     */
    public IntSupplier recoveryClients()
    {
        return recoveryClients;
    }

    /**
     * The conflated stream's settings.
     *
     * @return the settings, or null for no conflated stream.
     */
    public ConflationConfiguration conflation()
    {
        return conflation;
    }

    /**
     * Where the counters live.
     *
     * @return the process's counters, or null to keep them in memory.
     */
    public ProcessCounters counters()
    {
        return counters;
    }

    /**
     * Whether every data batch goes out twice.
     *
     * @return true with packet repetition.
     */
    public boolean repeatBatches()
    {
        return repeatBatches;
    }
}
