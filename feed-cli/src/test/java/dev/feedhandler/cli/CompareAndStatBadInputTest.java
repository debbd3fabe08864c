package dev.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad files given to {@code feed compare} and {@code feed stat}: each a one-line error on stderr with exit status 2
 * (compare's 1 means the summaries disagree), never a verdict drawn from a file that is not a summary.
 */
@Timeout(60)
class CompareAndStatBadInputTest
{
    private static final String PUBLISHED = "{\"published\":3,\"batches\":2,\"topics\":{\"EURUSD\":2,\"GBPUSD\":1}}";
    private static final String RECEIVED = "{\"received\":3,\"topics\":{\"EURUSD\":2,\"GBPUSD\":1}," +
        "\"gapsDetected\":0,\"unrecoverable\":0,\"decodeErrors\":0}";

    @TempDir
    Path dir;

    private record Result(int status, List<String> err)
    {
    }

    private static Result run(final String... args)
    {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = FeedCli.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        final int status = commandLine.execute(args);
        return new Result(status, err.toString().lines().toList());
    }

    private Path file(final String name, final byte[] content) throws Exception
    {
        return Files.write(dir.resolve(name), content);
    }

    private Path file(final String name, final String content) throws Exception
    {
        return file(name, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void assertOneLine(final Result result, final String line)
    {
        assertThat(result.status()).as(String.join("\n", result.err())).isEqualTo(2);
        assertThat(result.err()).containsExactly(line);
    }

    private Result compare(final Path publisher, final Path subscriber)
    {
        return run("compare", "--publisher", publisher.toString(), "--subscriber", subscriber.toString());
    }

    @Test
    void shouldAgreeOnMatchingSummaries() throws Exception
    {
        assertThat(compare(file("pub.out", "log line\n" + PUBLISHED + "\n"), file("sub.out", RECEIVED)).status())
            .isEqualTo(0);
    }

    @Test
    void shouldRefuseAFileThatIsNotTheSummaryItIsGivenAs() throws Exception
    {
        final Path pub = file("pub.out", PUBLISHED);
        final Path sub = file("sub.out", RECEIVED);
        assertOneLine(compare(pub, pub), "feed compare: " + pub + ": not a feed subscribe summary (no \"received\")");
        assertOneLine(compare(sub, sub), "feed compare: " + sub + ": not a feed publish summary (no \"published\")");
        final Path noTopics = file("no-topics.out", "{\"published\":3}");
        assertOneLine(compare(noTopics, sub),
            "feed compare: " + noTopics + ": not a feed publish summary (no \"topics\")");
    }

    @Test
    void shouldRefuseAFigureThatIsNotANumber() throws Exception
    {
        final Path pub = file("pub.out", PUBLISHED);
        final Path text = file("text.out", RECEIVED.replace("\"decodeErrors\":0", "\"decodeErrors\":\"7\""));
        assertOneLine(compare(pub, text), "feed compare: " + text + ": \"decodeErrors\" is not a number: 7");
        final Path topic = file("topic.out", RECEIVED.replace("\"GBPUSD\":1", "\"GBPUSD\":\"x\""));
        assertOneLine(compare(pub, topic), "feed compare: " + topic + ": \"topics.GBPUSD\" is not a number: x");
    }

    @Test
    void shouldSayWhatIsWrongWithAFileThatCannotBeRead() throws Exception
    {
        final Path pub = file("pub.out", PUBLISHED);
        final Path missing = dir.resolve("missing.out");
        assertOneLine(compare(pub, missing), "feed compare: cannot read " + missing + ": no such file");
        final Path binary = file("binary.out", new byte[] {(byte)0xff, (byte)0xfe, 0, 1});
        assertOneLine(compare(pub, binary), "feed compare: cannot read " + binary + ": not UTF-8 text");
        final Path empty = file("empty.out", "");
        assertOneLine(compare(pub, empty), "feed compare: " + empty + ": empty, no JSON summary");
        final Path bad = file("bad.out", "{bad");
        assertThat(compare(pub, bad).status()).isEqualTo(2);
    }

    @Test
    void shouldSayACountersDirectoryThatIsAFileIsNotADirectory() throws Exception
    {
        final Path notDirectory = file("counters", "x");
        assertOneLine(run("stat", "--counters-dir", notDirectory.toString()),
            "feed stat: cannot list " + notDirectory + ": not a directory");
    }
}
