package dev.feedhandler.cli.subscribe;

import dev.feedhandler.cli.FeedCli;
import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.subscriber.FeedSubscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code subscribe} warms its catch-up path up by default; {@code --no-warm-up} turns it off, and {@code --no-recovery}
 * refuses only an explicit {@code --warm-up}.
 */
@Timeout(30)
class WarmUpDefaultTest
{
    @Test
    void shouldWarmUpByDefault()
    {
        assertThat(parse().warmUp()).isTrue();
    }

    @Test
    void shouldNotWarmUpWithNoWarmUp()
    {
        assertThat(parse("--no-warm-up").warmUp()).isFalse();
    }

    @Test
    void shouldWarmUpWhenAsked()
    {
        assertThat(parse("--warm-up").warmUp()).isTrue();
    }

    @Test
    void shouldSubscribeWithoutRecoveryAndWithoutWarmUpByDefault()
    {
        final RecoveryClientOptions options = parse("--no-recovery");

        assertThat(options.apply(FeedSubscriber.builder(), List.of("tcp://127.0.0.1:5556"), false, null)).isNull();
    }

    @Test
    void shouldRefuseAnExplicitWarmUpWithoutRecovery()
    {
        final RecoveryClientOptions options = parse("--no-recovery", "--warm-up");

        assertThatThrownBy(() -> options.apply(FeedSubscriber.builder(), List.of("tcp://127.0.0.1:5556"), false, null))
            .isInstanceOf(CliException.class).hasMessage("--warm-up and --no-recovery exclude each other");
    }

    /** Parsed as {@code feed subscribe} parses them, the command's defaults included. */
    private static RecoveryClientOptions parse(final String... args)
    {
        final List<String> line = new ArrayList<>(List.of("subscribe"));
        line.addAll(List.of(args));
        final CommandLine.ParseResult parsed = FeedCli.commandLine().parseArgs(line.toArray(String[]::new));
        return ((SubscribeCommand)parsed.subcommand().commandSpec().userObject()).recovery;
    }
}
