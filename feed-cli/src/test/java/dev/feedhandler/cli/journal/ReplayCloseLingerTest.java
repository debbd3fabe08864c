package dev.feedhandler.cli.journal;

import dev.feedhandler.cli.FeedCli;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default close linger of {@code feed replay --publish} follows {@code --backpressure} (block by default for a
 * replay): a blocking replay's queue holds seconds of updates for a slow subscriber, all promised to it.
 */
class ReplayCloseLingerTest
{
    @Test
    void shouldWaitThirtySecondsWhenBlockingFiveWhenDroppingAndWhatIsGivenOtherwise()
    {
        assertThat(parsed().closeLingerMs()).isEqualTo(SocketConfiguration.DEFAULT_BLOCK_CLOSE_LINGER_MS);
        assertThat(parsed("--backpressure", "drop").closeLingerMs()).isEqualTo(5_000);
        assertThat(parsed("--close-linger", "1s").closeLingerMs()).isEqualTo(1_000);
    }

    private static ReplayCommand parsed(final String... args)
    {
        final CommandLine feed = FeedCli.commandLine();
        final String[] all = new String[args.length + 3];
        all[0] = "replay";
        all[1] = "--publish";
        all[2] = "tcp://127.0.0.1:*";
        System.arraycopy(args, 0, all, 3, args.length);
        feed.parseArgs(all);
        return feed.getSubcommands().get("replay").getCommand();
    }
}
