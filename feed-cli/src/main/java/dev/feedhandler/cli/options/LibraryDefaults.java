package dev.feedhandler.cli.options;

import dev.feedhandler.common.counters.CountersDirectory;
import dev.feedhandler.journal.JournalConfiguration;
import dev.feedhandler.journal.JournalRollCycles;
import dev.feedhandler.publisher.PublisherConfiguration;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.conflate.ConflationConfiguration;
import dev.feedhandler.publisher.recovery.RecoveryConfiguration;
import dev.feedhandler.publisher.shm.SharedMemoryConfiguration;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.transport.IoThreadPolicy;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import dev.feedhandler.subscriber.SubscriberConfiguration;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The defaults of the command line's flags, taken from the libraries' {@code DEFAULT_*} constants so that each is
 * defined once (picocli's default value provider: the commands declare it, their options and mixins then have no
 * {@code defaultValue} of their own, and {@code ${DEFAULT-VALUE}} in the help shows these). Flags that only the
 * command line knows (stop conditions, output formats) keep their {@code defaultValue} where they are declared.
 */
public final class LibraryDefaults implements CommandLine.IDefaultValueProvider
{
    private static final Map<String, String> DEFAULTS = defaults();

    /**
     * {@inheritDoc}
     */
    @Override
    public String defaultValue(final ArgSpec argSpec)
    {
        if (!argSpec.isOption())
        {
            return null;
        }
        final String option = ((OptionSpec)argSpec).longestName();
        final String command = argSpec.command() == null ? "" : argSpec.command().name();
        final String value = DEFAULTS.get(command + " " + option);
        return value != null ? value : DEFAULTS.get(option);
    }

    /**
     * The default of a flag.
     *
     * @param command the command's name, such as {@code publish}.
     * @param option  the flag, such as {@code --sndhwm}.
     * @return the default as typed on the command line, or null if the flag has none from a library.
     */
    public static String of(final String command, final String option)
    {
        final String value = DEFAULTS.get(command + " " + option);
        return value != null ? value : DEFAULTS.get(option);
    }

    private static Map<String, String> defaults()
    {
        final Map<String, String> map = new HashMap<>();
        // Synthetic source, batches and socket of feed publish.
        map.put("publish --instruments", "" + SyntheticConfiguration.DEFAULT_INSTRUMENTS);
        map.put("publish --rate", "" + SyntheticConfiguration.DEFAULT_RATE_PER_SECOND);
        map.put("publish --seed", "" + SyntheticConfiguration.DEFAULT_SEED);
        map.put("publish --trade-ratio", "" + SyntheticConfiguration.DEFAULT_TRADE_RATIO);
        map.put("publish --burst-size", "" + SyntheticConfiguration.DEFAULT_BURST_SIZE);
        map.put("publish --burst-every", Durations.format(SyntheticConfiguration.DEFAULT_BURST_EVERY));
        map.put("publish --batch-max-updates", "" + BatchConfiguration.DEFAULT_MAX_UPDATES);
        map.put("publish --batch-max-bytes", "" + BatchConfiguration.DEFAULT_MAX_BYTES);
        map.put("publish --batch-linger", Durations.format(Duration.ofNanos(BatchConfiguration.DEFAULT_LINGER_NS)));
        map.put("publish --batch-max-rate", "" + BatchConfiguration.DEFAULT_MAX_MESSAGES_PER_SECOND);
        map.put("publish --heartbeat-interval", Durations.format(PublisherConfiguration.DEFAULT_HEARTBEAT_INTERVAL));
        map.put("publish --await-timeout", Durations.format(PublisherConfiguration.DEFAULT_AWAIT_TIMEOUT));
        map.put("publish --idle", PublisherConfiguration.DEFAULT_IDLE_STRATEGY);
        map.put("publish --io-threads", "" + SocketConfiguration.DEFAULT_IO_THREADS);
        map.put("publish --sndbuf", "" + SocketConfiguration.DEFAULT_SEND_BUFFER_BYTES);
        map.put("publish --backpressure", SocketConfiguration.DEFAULT_BACKPRESSURE.name().toLowerCase(Locale.ROOT));
        map.put("--sndhwm", "" + SocketConfiguration.DEFAULT_SEND_HWM);
        map.put("--io-thread-policy", IoThreadPolicy.DEFAULT.name().toLowerCase(Locale.ROOT));
        map.put("--counters-dir", CountersDirectory.defaultDirectory().toString());
        map.put("replay --await-timeout", Durations.format(PublisherConfiguration.DEFAULT_AWAIT_TIMEOUT));
        map.put("publish --conflate-interval", Durations.format(ConflationConfiguration.DEFAULT_INTERVAL));

        // Recovery service of feed publish.
        map.put("--recovery-window", ByteSizes.format(RecoveryConfiguration.DEFAULT_WINDOW_BYTES));
        map.put("--recovery-handoff", ByteSizes.format(RecoveryConfiguration.DEFAULT_RING_BYTES));
        map.put("--recovery-max-reply", "" + RecoveryConfiguration.DEFAULT_MAX_REPLY_UPDATES);
        map.put("--recovery-linger", Durations.format(RecoveryConfiguration.DEFAULT_LINGER));
        map.put("--recovery-linger-max", Durations.format(RecoveryConfiguration.DEFAULT_LINGER_MAX));

        // Shared-memory log of feed publish.
        map.put("publish --shm-capacity", ByteSizes.format(SharedMemoryConfiguration.DEFAULT_CAPACITY_BYTES));

        // Journal of feed publish and recording of feed subscribe.
        for (final String flag : new String[] {"--journal", "--record"})
        {
            map.put(flag + "-roll", JournalRollCycles.DEFAULT);
            map.put(flag + "-keep", "" + JournalConfiguration.DEFAULT_KEEP_CYCLES);
            map.put(flag + "-full", JournalConfiguration.DEFAULT_FULL_POLICY.name().toLowerCase(Locale.ROOT));
        }
        map.put("--journal-ring", ByteSizes.format(JournalConfiguration.DEFAULT_RING_BYTES));
        map.put("--journal-cached", ByteSizes.format(JournalConfiguration.DEFAULT_CACHED_BYTES));
        map.put("--record-cached", ByteSizes.format(JournalConfiguration.DEFAULT_CACHED_BYTES));

        // The embeddable subscriber, as feed subscribe runs it.
        map.put("subscribe --rcvhwm", "" + SubscriberConfiguration.DEFAULT_RECEIVE_HWM);
        map.put("subscribe --ring-size", "" + SubscriberConfiguration.DEFAULT_RING_SIZE);
        map.put("subscribe --wait-strategy", SubscriberConfiguration.DEFAULT_WAIT_STRATEGY);
        map.put("subscribe --receive-idle", SubscriberConfiguration.DEFAULT_RECEIVE_IDLE);
        map.put("subscribe --max-frame-bytes", "" + SubscriberConfiguration.DEFAULT_MAX_FRAME_BYTES);
        map.put("subscribe --recovery-timeout",
            Durations.format(Duration.ofMillis(SubscriberConfiguration.DEFAULT_RECOVERY_TIMEOUT_MS)));
        map.put("subscribe --recovery-retries", "" + SubscriberConfiguration.DEFAULT_RECOVERY_RETRIES);
        map.put("subscribe --recovery-patience",
            Durations.format(Duration.ofMillis(SubscriberConfiguration.DEFAULT_RECOVERY_PATIENCE_MS)));
        map.put("subscribe --max-held-bytes", ByteSizes.format(SubscriberConfiguration.DEFAULT_MAX_HELD_BYTES));
        map.put("subscribe --heartbeat-interval",
            Durations.format(Duration.ofMillis(SubscriberConfiguration.DEFAULT_HEARTBEAT_INTERVAL_MS)));
        map.put("subscribe --conflate-max-trades", "" + SubscriberConfiguration.DEFAULT_CONFLATE_MAX_TRADES);

        return map;
    }
}
