package dev.feedhandler.cli.publish;

import dev.feedhandler.cli.FeedCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code publish} warms its catch-up path up by default; {@code --no-warm-up} turns it off.
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

    /** Parsed as {@code feed publish} parses them, the command's defaults included. */
    private static RecoveryOptions parse(final String... args)
    {
        final List<String> line = new ArrayList<>(List.of("publish"));
        line.addAll(List.of(args));
        final CommandLine.ParseResult parsed = FeedCli.commandLine().parseArgs(line.toArray(String[]::new));
        return ((PublishCommand)parsed.subcommand().commandSpec().userObject()).recovery;
    }
}
