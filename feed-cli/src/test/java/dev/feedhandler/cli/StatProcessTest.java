package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import dev.feedhandler.common.counters.CountersFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code feed stat} against real processes: a publisher and a subscriber started by the test, their counters read
 * by {@code feed stat} processes while they run, the values checked against the JSON summaries they print at the
 * end; then a crashed process's file (stale), a foreign file, a missing name, and a name in use.
 */
@Timeout(240)
class StatProcessTest
{
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long UPDATES = 20_000;

    @TempDir
    Path dir;

    @Test
    void shouldShowTheCountersOfARunningPublisherAndSubscriberAsTheirSummariesReportThem() throws Exception
    {
        final Path counters = FeedProcess.countersDirectory(dir);
        final String endpoint = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect", endpoint,
            "--recovery-connect", recovery, "--counters-dir", counters.toString(), "--counters-name", "desk-1");
            FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", endpoint, "--recovery-bind",
                recovery, "--rate", "5000", "--count", Long.toString(UPDATES), "--await-subscribers", "1",
                // The recovery service keeps the process, and so its counters file, for a while after the session.
                "--recovery-linger", "60s"))
        {
            final Path publisherFile = counters.resolve("publish-" + publisher.pid() + ".counters");
            final Path subscriberFile = counters.resolve("desk-1.counters");
            await().atMost(WAIT).until(() -> Files.exists(publisherFile) && Files.exists(subscriberFile));

            // While both run: the listing, and the publisher's counters by pid.
            final List<String> listing = stat("list");
            assertThat(listing).anyMatch(line -> line.startsWith("desk-1 ") && line.contains("subscribe") &&
                line.contains("pid " + subscriber.pid()) && line.contains(" running "));
            assertThat(listing).anyMatch(line -> line.startsWith("publish-" + publisher.pid() + " ") &&
                line.contains(" running "));
            final List<String> live = stat("live", "--once", Long.toString(publisher.pid()));
            assertThat(live.get(0)).startsWith("publish-" + publisher.pid() + " (publish, pid " + publisher.pid() +
                ") up ");
            assertThat(live.get(1)).contains("feed publish --bind " + endpoint);
            assertThat(values(live).get("updates published")).isBetween(0L, UPDATES);

            // The session ended (every update published, the end of session seen by the subscriber); both still
            // run: the publisher lingers for its recovery service, the subscriber until it is stopped.
            await().atMost(WAIT).until(() -> counter(publisherFile, "updates published") == UPDATES &&
                counter(subscriberFile, "session ends") == 1);
            final Map<String, Long> publisherStat = values(stat("pub-stat", "--once", publisherFile.toString()));
            final Map<String, Long> subscriberStat = values(stat("sub-stat", "--once", "desk-1"));

            subscriber.signal("TERM");
            assertThat(subscriber.waitFor(60)).isEqualTo(143);
            // Stopped rather than waited for: its recovery service would linger 60 s.
            publisher.signal("TERM");
            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isEqualTo(143);

            final Map<String, Object> published = Json.parseObject(publisher.lastStdoutLine());
            assertThat(publisherStat).containsEntry("updates published", number(published, "published"))
                .containsEntry("batches published", number(published, "batches"))
                .containsEntry("heartbeats sent", number(published, "heartbeats"))
                .containsEntry("bytes sent", number(published, "bytesSent"))
                .containsEntry("full batches", number(published, "fullBatches"))
                .containsEntry("linger flushes", number(published, "lingerFlushes"))
                .containsEntry("send retries", number(published, "sendRetries"));
            assertThat(topics(publisherStat, "topic updates published: ")).isEqualTo(topics(published));

            final Map<String, Object> received = Json.parseObject(subscriber.lastStdoutLine());
            assertThat(subscriberStat).containsEntry("updates delivered", number(received, "received"))
                .containsEntry("updates received", UPDATES)
                .containsEntry("batches received", number(received, "batches"))
                .containsEntry("heartbeats received", number(received, "heartbeats"))
                .containsEntry("gaps detected", number(received, "gapsDetected"))
                .containsEntry("updates lost", number(received, "lostUpdates"))
                .containsEntry("duplicate updates", number(received, "duplicates"))
                .containsEntry("ring full", number(received, "ringFull"))
                .containsEntry("errors: listener threw", number(received, "listenerErrors"));
            assertThat(topics(subscriberStat, "topic updates received: ")).isEqualTo(topics(received));
            assertThat(number(received, "received")).isEqualTo(UPDATES);
        }

        // A clean exit deletes the files.
        assertThat(stat("after")).containsExactly("no counters files in " + counters +
            " (feed publish and feed subscribe create one each)");
    }

    @Test
    void shouldSayInOneLineWhatIsWrongWithAStaleAForeignOrAMissingFileAndANameInUse() throws Exception
    {
        final Path counters = FeedProcess.countersDirectory(dir);
        final String endpoint = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final Path file = counters.resolve("victim.counters");
        try (FeedProcess victim = FeedProcess.start(dir, "victim", "subscribe", "--connect", endpoint,
            "--no-recovery", "--counters-name", "victim"))
        {
            await().atMost(WAIT).until(() -> Files.exists(file));
            final FeedProcess twin = FeedProcess.start(dir, "twin", "subscribe", "--connect", endpoint,
                "--no-recovery", "--counters-name", "victim");
            assertThat(twin.waitFor(60)).isEqualTo(2);
            assertThat(twin.stderrLines()).containsExactly("feed subscribe: counters file " + file +
                " belongs to running process " + victim.pid() + " (subscribe); give another name");

            victim.signal("KILL");
            victim.waitFor(30);
        }

        final FeedProcess stale = FeedProcess.start(dir, "stale", "stat", "--once", "victim");
        assertThat(stale.waitFor(60)).isEqualTo(2);
        assertThat(stale.stderrLines()).singleElement().asString()
            .startsWith("feed stat: " + file + " is stale: process ")
            .endsWith(" is not running; the process crashed or was killed (a clean exit deletes its file): " +
                "remove it");
        assertThat(stat("listing")).singleElement().asString().startsWith("victim ").contains(" STALE ");
        assertThat(stat("errors", "--errors", "victim").get(0)).startsWith("0 distinct errors recorded by victim " +
            "(subscribe, pid ").contains("stale: process ");

        final Path foreign = counters.resolve("notes.counters");
        Files.write(foreign, new byte[1024]);
        final FeedProcess notOurs = FeedProcess.start(dir, "foreign", "stat", "--once", foreign.toString());
        assertThat(notOurs.waitFor(60)).isEqualTo(2);
        assertThat(notOurs.stderrLines()).containsExactly(
            "feed stat: " + foreign + ": not a feed counters file (no FEEDCNTR mark)");

        final FeedProcess missing = FeedProcess.start(dir, "missing", "stat", "--once", "nobody");
        assertThat(missing.waitFor(60)).isEqualTo(2);
        assertThat(missing.stderrLines()).containsExactly(
            "feed stat: no counters file named nobody in " + counters + " (feed stat lists them)");
    }

    private List<String> stat(final String name, final String... args) throws InterruptedException
    {
        final String[] command = new String[args.length + 1];
        command[0] = "stat";
        System.arraycopy(args, 0, command, 1, args.length);
        final FeedProcess stat = FeedProcess.start(dir, name, command);
        assertThat(stat.waitFor(60)).as("feed stat %s: %s", String.join(" ", args), stat.stderr()).isZero();
        return stat.stdoutLines();
    }

    /**
     * The counters of {@code feed stat --once} output: label to value.
     */
    private static Map<String, Long> values(final List<String> lines)
    {
        final Map<String, Long> values = new LinkedHashMap<>();
        boolean table = false;
        for (final String line : lines)
        {
            final String trimmed = line.trim();
            if (trimmed.startsWith("id ") && trimmed.endsWith(" label"))
            {
                table = true;
                continue;
            }
            if (table)
            {
                final String[] fields = trimmed.split("\\s+", 3);
                values.put(fields[2], Long.parseLong(fields[1]));
            }
        }
        assertThat(values).as("counters in %s", lines).isNotEmpty();
        return values;
    }

    private static long counter(final Path file, final String label)
    {
        try (CountersFileReader reader = CountersFileReader.open(file, false))
        {
            final long[] value = {-1};
            reader.counters().forEach((counterValue, id, counterLabel) ->
            {
                if (counterLabel.equals(label))
                {
                    value[0] = counterValue;
                }
            });
            return value[0];
        }
    }

    private static Map<String, Long> topics(final Map<String, Long> stat, final String prefix)
    {
        final Map<String, Long> topics = new TreeMap<>();
        stat.forEach((label, value) ->
        {
            if (label.startsWith(prefix) && !label.endsWith("_other") && value > 0)
            {
                topics.put(label.substring(prefix.length()), value);
            }
        });
        return topics;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> topics(final Map<String, Object> summary)
    {
        final Map<String, Long> topics = new TreeMap<>();
        ((Map<String, Object>)summary.get("topics")).forEach((topic, value) ->
            topics.put(topic, ((Number)value).longValue()));
        return topics;
    }

    private static long number(final Map<String, Object> summary, final String key)
    {
        return ((Number)summary.get(key)).longValue();
    }
}
