package dev.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A malformed {@code --bootstrap-servers} is a one-line error with exit status 2 at once, not an outage retried every
 * second forever (which is what a well-formed address of a broker that is away still gets).
 */
@Timeout(60)
class KafkaBadAddressTest
{
    @TempDir
    Path dir;

    private static void assertRefused(final String servers, final String... args)
    {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = FeedCli.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        final int status = commandLine.execute(args);
        final List<String> lines = err.toString().lines().toList();
        assertThat(status).as(err.toString()).isEqualTo(2);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("feed " + args[0] +
            ": --bootstrap-servers must be HOST:PORT[,HOST:PORT...], was '" + servers + "'");
    }

    @Test
    void shouldRefuseAMalformedBootstrapAddressInOneLine()
    {
        for (final String servers : List.of("no:such:host", "localhost", "localhost:0", "host:99999", "a:9092,,b:9092",
            "host :9092"))
        {
            assertRefused(servers, "kafka-sink", "--journal", dir.toString(), "--bootstrap-servers", servers,
                "--topic", "feed");
            assertRefused(servers, "replay", "--kafka", "--bootstrap-servers", servers, "--topic", "feed");
        }
    }
}
