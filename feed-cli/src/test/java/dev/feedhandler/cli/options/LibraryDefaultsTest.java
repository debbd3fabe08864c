package dev.feedhandler.cli.options;

import dev.feedhandler.cli.FeedCli;
import dev.feedhandler.journal.JournalConfiguration;
import dev.feedhandler.journal.JournalRollCycles;
import dev.feedhandler.publisher.PublisherConfiguration;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.recovery.RecoveryConfiguration;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import dev.feedhandler.subscriber.SubscriberConfiguration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line's defaults are the libraries' own: each flag that configures a library starts from that library's
 * {@code DEFAULT_*} constant, read back through the parsed option, so the two cannot drift apart again.
 */
class LibraryDefaultsTest
{
    @Test
    void shouldStartTheSubscriberFlagsFromTheSubscriberLibraryDefaults()
    {
        final CommandLine subscribe = parsed("subscribe");

        assertThat((int)value(subscribe, "--ring-size")).isEqualTo(SubscriberConfiguration.DEFAULT_RING_SIZE)
            .isEqualTo(1024);
        assertThat((int)value(subscribe, "--rcvhwm")).isEqualTo(SubscriberConfiguration.DEFAULT_RECEIVE_HWM);
        assertThat((int)value(subscribe, "--max-frame-bytes"))
            .isEqualTo(SubscriberConfiguration.DEFAULT_MAX_FRAME_BYTES);
        assertThat((String)value(subscribe, "--wait-strategy"))
            .isEqualTo(SubscriberConfiguration.DEFAULT_WAIT_STRATEGY);
        assertThat((String)value(subscribe, "--receive-idle")).isEqualTo(SubscriberConfiguration.DEFAULT_RECEIVE_IDLE);
        assertThat((Duration)value(subscribe, "--recovery-timeout"))
            .isEqualTo(Duration.ofMillis(SubscriberConfiguration.DEFAULT_RECOVERY_TIMEOUT_MS));
        assertThat((int)value(subscribe, "--recovery-retries"))
            .isEqualTo(SubscriberConfiguration.DEFAULT_RECOVERY_RETRIES);
        assertThat((Duration)value(subscribe, "--recovery-patience"))
            .isEqualTo(Duration.ofMillis(SubscriberConfiguration.DEFAULT_RECOVERY_PATIENCE_MS));
        assertThat((long)value(subscribe, "--max-held-bytes"))
            .isEqualTo(SubscriberConfiguration.DEFAULT_MAX_HELD_BYTES);
        assertThat((Duration)value(subscribe, "--heartbeat-interval"))
            .isEqualTo(Duration.ofMillis(SubscriberConfiguration.DEFAULT_HEARTBEAT_INTERVAL_MS));
        assertThat(value(subscribe, "--record-full").toString()).isEqualTo(
            JournalConfiguration.DEFAULT_FULL_POLICY.name());
    }

    @Test
    void shouldStartThePublisherFlagsFromThePublisherLibraryDefaults()
    {
        final CommandLine publish = parsed("publish");

        assertThat((int)value(publish, "--instruments")).isEqualTo(SyntheticConfiguration.DEFAULT_INSTRUMENTS);
        assertThat((long)value(publish, "--rate")).isEqualTo(SyntheticConfiguration.DEFAULT_RATE_PER_SECOND);
        assertThat((double)value(publish, "--trade-ratio")).isEqualTo(SyntheticConfiguration.DEFAULT_TRADE_RATIO);
        assertThat((Duration)value(publish, "--burst-every")).isEqualTo(SyntheticConfiguration.DEFAULT_BURST_EVERY);
        assertThat((int)value(publish, "--batch-max-updates")).isEqualTo(BatchConfiguration.DEFAULT_MAX_UPDATES);
        assertThat((int)value(publish, "--batch-max-bytes")).isEqualTo(BatchConfiguration.DEFAULT_MAX_BYTES);
        assertThat((Duration)value(publish, "--batch-linger"))
            .isEqualTo(Duration.ofNanos(BatchConfiguration.DEFAULT_LINGER_NS));
        assertThat((long)value(publish, "--batch-max-rate"))
            .isEqualTo(BatchConfiguration.DEFAULT_MAX_MESSAGES_PER_SECOND);
        assertThat((String)value(publish, "--idle")).isEqualTo(PublisherConfiguration.DEFAULT_IDLE_STRATEGY);
        assertThat((Duration)value(publish, "--heartbeat-interval"))
            .isEqualTo(PublisherConfiguration.DEFAULT_HEARTBEAT_INTERVAL);
        assertThat((Duration)value(publish, "--await-timeout")).isEqualTo(PublisherConfiguration.DEFAULT_AWAIT_TIMEOUT);
        assertThat((int)value(publish, "--sndhwm")).isEqualTo(SocketConfiguration.DEFAULT_SEND_HWM);
        assertThat(value(publish, "--close-linger")).as("depends on --backpressure: PublishCloseLingerTest").isNull();
        assertThat(value(publish, "--backpressure")).isEqualTo(SocketConfiguration.DEFAULT_BACKPRESSURE);
        assertThat((long)value(publish, "--recovery-window")).isEqualTo(RecoveryConfiguration.DEFAULT_WINDOW_BYTES);
        assertThat((int)value(publish, "--recovery-max-reply"))
            .isEqualTo(RecoveryConfiguration.DEFAULT_MAX_REPLY_UPDATES);
        assertThat((Duration)value(publish, "--recovery-linger")).isEqualTo(RecoveryConfiguration.DEFAULT_LINGER);
        assertThat((String)value(publish, "--journal-roll")).isEqualTo(JournalRollCycles.DEFAULT);
        assertThat((long)value(publish, "--journal-ring")).isEqualTo(JournalConfiguration.DEFAULT_RING_BYTES);
        assertThat(value(publish, "--journal-full")).isEqualTo(JournalConfiguration.DEFAULT_FULL_POLICY);
    }

    @Test
    void shouldShowTheDefaultsInTheHelpAsTheReadmeWritesThem()
    {
        final CommandLine.Model.CommandSpec publish = FeedCli.commandLine().getSubcommands().get("publish")
            .getCommandSpec();

        assertThat(publish.findOption("--batch-linger").defaultValueString()).isEqualTo("1ms");
        assertThat(publish.findOption("--recovery-window").defaultValueString()).isEqualTo("64m");
        assertThat(publish.findOption("--journal-ring").defaultValueString()).isEqualTo("16m");
        assertThat(publish.findOption("--journal-cached").defaultValueString()).isEqualTo("256m");
        assertThat(publish.findOption("--heartbeat-interval").defaultValueString()).isEqualTo("1s");
        assertThat(publish.findOption("--backpressure").defaultValueString()).isEqualTo("drop");
        assertThat(LibraryDefaults.of("subscribe", "--recovery-timeout")).isEqualTo("500ms");
        assertThat(LibraryDefaults.of("replay", "--sndhwm")).isEqualTo("4096");
    }

    private static CommandLine parsed(final String command)
    {
        final CommandLine feed = FeedCli.commandLine();
        feed.parseArgs(command);
        return feed.getSubcommands().get(command);
    }

    private static Object value(final CommandLine command, final String option)
    {
        final OptionSpec spec = command.getCommandSpec().findOption(option);
        assertThat(spec).as(option).isNotNull();
        return spec.getValue();
    }
}
