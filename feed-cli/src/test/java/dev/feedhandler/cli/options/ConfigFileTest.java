package dev.feedhandler.cli.options;

import dev.feedhandler.cli.FeedCli;
import dev.feedhandler.publisher.transport.Backpressure;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --config FILE}: every flag of publish, subscribe and replay can be set in the file, flags on the command line
 * override it whatever the order, repeatable flags take one line per value, the libraries' defaults still apply to
 * what neither sets, and every unknown key or bad value is a one-line error naming the file, the line and the key.
 */
@Timeout(60)
class ConfigFileTest
{
    @TempDir
    Path dir;

    @AfterEach
    void textLogs()
    {
        LogFormat.apply("text");
    }

    private record Result(int status, List<String> out, List<String> err)
    {
    }

    private static Result run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = FeedCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int status = commandLine.execute(args);
        return new Result(status, out.toString().lines().toList(), err.toString().lines().toList());
    }

    private Path file(final String name, final String... lines) throws IOException
    {
        return Files.write(dir.resolve(name), List.of(lines));
    }

    private static CommandLine parsed(final String... args)
    {
        final CommandLine feed = FeedCli.commandLine();
        feed.parseArgs(args);
        return feed.getSubcommands().get(args[0]);
    }

    private static Object value(final CommandLine command, final String option)
    {
        final OptionSpec spec = command.getCommandSpec().findOption(option);
        assertThat(spec).as(option).isNotNull();
        return spec.getValue();
    }

    @Test
    void shouldSetFlagsFromTheFileAndKeepTheLibraryDefaultsForTheRest() throws IOException
    {
        final Path config = file("publisher.conf",
            "# a comment, then a blank line",
            "",
            "  rate = 50k  ",
            "bind = tcp://127.0.0.1:7001",
            "bind = tcp://127.0.0.1:7002",
            "backpressure = block",
            "batch-linger = 250us",
            "tcp-keepalive = true",
            "journal = /srv/feed journal");

        final CommandLine publish = parsed("publish", "--config", config.toString());

        assertThat(value(publish, "--rate")).isEqualTo(50_000L);
        assertThat(value(publish, "--bind")).isEqualTo(List.of("tcp://127.0.0.1:7001", "tcp://127.0.0.1:7002"));
        assertThat(value(publish, "--backpressure")).isEqualTo(Backpressure.BLOCK);
        assertThat(value(publish, "--batch-linger")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(value(publish, "--tcp-keepalive")).isEqualTo(true);
        assertThat(value(publish, "--journal").toString()).isEqualTo("/srv/feed journal");
        assertThat((int)value(publish, "--sndhwm")).isEqualTo(SocketConfiguration.DEFAULT_SEND_HWM);
        assertThat(value(publish, "--source").toString()).isEqualTo("synthetic");
    }

    @Test
    void shouldLetTheCommandLineOverrideTheFileWhateverTheOrder() throws IOException
    {
        final Path config = file("publisher.conf", "rate = 50k", "bind = tcp://127.0.0.1:7001",
            "bind = tcp://127.0.0.1:7002", "instruments = 7");

        final CommandLine before = parsed("publish", "--rate", "1000", "--bind", "tcp://127.0.0.1:9000",
            "--config", config.toString());
        final CommandLine after = parsed("publish", "--config", config.toString(), "--rate", "1000", "--bind",
            "tcp://127.0.0.1:9000");

        for (final CommandLine publish : List.of(before, after))
        {
            assertThat(value(publish, "--rate")).isEqualTo(1000L);
            assertThat(value(publish, "--bind")).isEqualTo(List.of("tcp://127.0.0.1:9000"));
            assertThat(value(publish, "--instruments")).isEqualTo(7);
        }
    }

    @Test
    void shouldTakeValuesLiterally() throws IOException
    {
        final Path config = file("subscriber.conf", "topic = ${HOME}", "topic = a#b", "connect = tcp://h:1=2");

        final CommandLine subscribe = parsed("subscribe", "--config", config.toString());

        assertThat(value(subscribe, "--topic")).isEqualTo(List.of("${HOME}", "a#b"));
        assertThat(value(subscribe, "--connect")).isEqualTo(List.of("tcp://h:1=2"));
    }

    @Test
    void shouldParseEveryExampleAgainstItsCommand()
    {
        final Path examples = FeedProcessRoot.root().resolve("config/examples");

        final CommandLine publish = parsed("publish", "--config", examples.resolve("publisher.conf").toString());
        assertThat(value(publish, "--rate")).isEqualTo(50_000L);
        assertThat(value(publish, "--expected-subscribers")).isEqualTo(2);
        final CommandLine subscribe = parsed("subscribe", "--config", examples.resolve("subscriber.conf").toString());
        assertThat(value(subscribe, "--topic")).isEqualTo(List.of("EUR", "GBP"));
        assertThat(value(subscribe, "--verify")).isEqualTo(true);
        final CommandLine replay = parsed("replay", "--config", examples.resolve("replay.conf").toString());
        assertThat(value(replay, "--speed")).isEqualTo("10");
        assertThat(value(replay, "--publish")).isEqualTo(List.of("tcp://0.0.0.0:6556"));
    }

    @Test
    void shouldSatisfyARequiredFlagFromTheFile() throws IOException
    {
        final Path missing = dir.resolve("no-journal");
        final Path config = file("replay.conf", "journal = " + missing);

        final Result result = run("replay", "--config", config.toString());

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).containsExactly("feed replay: " + config + ":1: key 'journal': journal directory " +
            missing + " does not exist");
    }

    @Test
    void shouldNameTheFileLineAndKeyOfAnUnknownKey() throws IOException
    {
        final Path config = file("publisher.conf", "rate = 10", "", "rates = 10");

        assertOneLine(run("publish", "--config", config.toString()),
            "feed publish: " + config + ":3: key 'rates': unknown (feed publish has no --rates)");
        // A subscriber's flag is unknown to the publisher.
        final Path other = file("other.conf", "topic = EUR");
        assertOneLine(run("publish", "--config", other.toString()),
            "feed publish: " + other + ":1: key 'topic': unknown (feed publish has no --topic)");
    }

    @Test
    void shouldNameTheFileLineAndKeyOfABadValue() throws IOException
    {
        final Path converted = file("a.conf", "instruments = 5", "rate = fast");
        assertOneLine(run("publish", "--config", converted.toString()), "feed publish: " + converted +
            ":2: key 'rate': Invalid value for option '--rate': 'fast' is not a positive rate " +
            "(examples: 50000, 100k, 2.5M, max)");

        final Path validated = file("b.conf", "metrics-port = 70000");
        assertOneLine(run("publish", "--config", validated.toString()), "feed publish: " + validated +
            ":1: key 'metrics-port': --metrics-port must be between 0 and 65535, was 70000");

        final Path level = file("c.conf", "log-level = chatty");
        assertOneLine(run("subscribe", "--config", level.toString()), "feed subscribe: " + level +
            ":1: key 'log-level': --log-level must be one of error, warn, info, debug, trace; was 'chatty'");

        final Path flag = file("d.conf", "exit-on-end = yes");
        assertOneLine(run("subscribe", "--config", flag.toString()), "feed subscribe: " + flag +
            ":1: key 'exit-on-end': Invalid value for option '--exit-on-end': 'yes' is not a boolean");
    }

    @Test
    void shouldRejectMalformedFilesInOneLine() throws IOException
    {
        assertOneLine(run("publish", "--config", file("a.conf", "rate 50k").toString()),
            "feed publish: " + dir.resolve("a.conf") + ":1: expected 'key = value', found 'rate 50k'");
        assertOneLine(run("publish", "--config", file("b.conf", "--rate = 5").toString()),
            "feed publish: " + dir.resolve("b.conf") + ":1: key '--rate': write the flag without its dashes " +
                "('rate = ...')");
        assertOneLine(run("publish", "--config", file("c.conf", "rate =").toString()),
            "feed publish: " + dir.resolve("c.conf") + ":1: key 'rate' has no value");
        assertOneLine(run("publish", "--config", file("d.conf", "rate = 1", "# x", "rate = 2").toString()),
            "feed publish: " + dir.resolve("d.conf") + ":3: key 'rate': set again (first on line 1); only a " +
                "repeatable flag may be given more than once");
        assertOneLine(run("publish", "--config", file("e.conf", "config = other.conf").toString()),
            "feed publish: " + dir.resolve("e.conf") + ":1: key 'config': cannot be set in a config file");
        assertOneLine(run("publish", "--config", dir.resolve("missing.conf").toString()),
            "feed publish: --config " + dir.resolve("missing.conf") + ": no such file");
        assertOneLine(run("subscribe", "--config", dir.toString()),
            "feed subscribe: --config " + dir + ": not a regular file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"publish", "subscribe", "replay"})
    void shouldAcceptEveryFlagOfTheCommandAsAKey(final String command) throws IOException
    {
        final CommandLine.Model.CommandSpec spec = FeedCli.commandLine().getSubcommands().get(command)
            .getCommandSpec();
        final List<String> lines = new ArrayList<>();
        for (final OptionSpec option : spec.options())
        {
            final String key = option.longestName().substring(2);
            if (!option.usageHelp() && !option.versionHelp() && !key.equals("config"))
            {
                lines.add(key + " = " + (option.typeInfo().isBoolean() ? "false" : "x"));
            }
        }
        assertThat(lines).hasSizeGreaterThan(10);
        final ConfigDefaults defaults = new ConfigDefaults();

        defaults.use(ConfigFile.parse("all.conf", lines), spec);

        assertThat(defaults.config().settings()).hasSize(lines.size());
    }

    private static void assertOneLine(final Result result, final String line)
    {
        assertThat(result.status()).as(String.join("\n", result.err())).isEqualTo(2);
        assertThat(result.err()).containsExactly(line);
        assertThat(result.out()).isEmpty();
    }

    /** Where the repository is (Surefire sets feed.root). */
    private static final class FeedProcessRoot
    {
        static Path root()
        {
            final String root = System.getProperty("feed.root");
            return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
        }
    }
}
