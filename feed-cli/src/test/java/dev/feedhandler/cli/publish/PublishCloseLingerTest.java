package dev.feedhandler.cli.publish;

import dev.feedhandler.cli.FeedCli;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default close linger of {@code feed publish} follows {@code --backpressure}: a blocking publisher's queue holds
 * seconds of updates for a slow subscriber, all promised to it, so closing waits longer for them.
 */
class PublishCloseLingerTest
{
    @Test
    void shouldWaitTwoSecondsByDefaultThirtyWithBlockAndWhatIsGivenOtherwise()
    {
        assertThat(parsed().closeLingerMs()).isEqualTo(SocketConfiguration.DEFAULT_CLOSE_LINGER_MS).isEqualTo(2_000);
        assertThat(parsed("--backpressure", "block").closeLingerMs())
            .isEqualTo(SocketConfiguration.DEFAULT_BLOCK_CLOSE_LINGER_MS).isEqualTo(30_000);
        assertThat(parsed("--backpressure", "drop").closeLingerMs()).isEqualTo(2_000);
        assertThat(parsed("--backpressure", "block", "--close-linger", "500ms").closeLingerMs()).isEqualTo(500);
        assertThat(parsed("--close-linger", "0").closeLingerMs()).isZero();
    }

    private static PublishCommand parsed(final String... args)
    {
        final CommandLine feed = FeedCli.commandLine();
        final String[] all = new String[args.length + 1];
        all[0] = "publish";
        System.arraycopy(args, 0, all, 1, args.length);
        feed.parseArgs(all);
        return feed.getSubcommands().get("publish").getCommand();
    }
}
