package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import dev.feedhandler.common.shm.ShmLocation;
import dev.feedhandler.common.shm.ShmLogReader;
import dev.feedhandler.common.shm.ShmLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared-memory transport through {@code scripts/feed} child processes ({@code publish --shm},
 * {@code subscribe --shm}): a reader started before its publisher waits for it and gets every update of two
 * publisher sessions in order; a reader stopped (SIGSTOP) until the publisher laps it recovers what it skipped from
 * the recovery service; the log is its owner's only, and a reader without access, a foreign file and a damaged file
 * each get one line.
 */
@Timeout(180)
class SharedMemoryProcessTest
{
    private static final int INSTRUMENTS = 6;

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryUpdateInOrderToAReaderStartedFirstAcrossAPublisherRestart() throws Exception
    {
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--shm", "feed", "--shm-dir",
            dir.toString(), "--recovery-connect", recovery, "--heartbeat-interval", "200ms", "--verify",
            "--count", "24000", "--duration", "120s"))
        {
            await().atMost(Duration.ofSeconds(60)).until(() -> subscriber.stderr().contains("waiting for the " +
                "publisher's shared memory"));
            final List<Map<String, Object>> sessions = new ArrayList<>();
            for (int session = 0; session < 2; session++)
            {
                try (FeedProcess publisher = FeedProcess.start(dir, "pub" + session, "publish", "--bind",
                    "tcp://127.0.0.1:" + FeedProcess.freePort(), "--recovery-bind", recovery, "--shm", "feed",
                    "--shm-dir", dir.toString(), "--count", "12000", "--rate", "20000", "--instruments",
                    Integer.toString(INSTRUMENTS), "--seed", Long.toString(session + 1),
                    "--heartbeat-interval", "200ms", "--recovery-linger", "1s",
                    // The first wakes its reader, the second leaves it to its timer: both deliver everything.
                    session == 0 ? "--shm-wake" : "--no-shm-wake"))
                {
                    assertThat(publisher.waitFor(60)).as(publisher.stderr()).isZero();
                    sessions.add(Json.parseObject(publisher.lastStdoutLine()));
                }
                assertThat(dir.resolve("feed")).as("the publisher removes its log when it ends").doesNotExist();
            }
            assertThat(subscriber.waitFor(60)).as(subscriber.stderr()).isZero();
            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());

            assertThat(sessions.get(0).get("sessionEpoch")).isNotEqualTo(sessions.get(1).get("sessionEpoch"));
            assertThat(map(sessions.get(0), "shm")).containsEntry("oversized", 0L);
            if (System.getProperty("os.name").startsWith("Linux"))
            {
                assertThat(map(sessions.get(0), "shm")).containsEntry("wakesReaders", true);
                assertThat(subscriber.stderr()).contains("woken by the publisher");
            }
            assertThat(map(sessions.get(1), "shm")).containsEntry("wakesReaders", false);
            assertThat(subscriber.stderr()).contains("looking for records on a timer");
            assertThat(got.get("received")).isEqualTo(24_000L);
            assertThat(got.get("stopReason")).as("--count stopped it").isEqualTo("count");
            assertThat(map(got, "verify")).containsEntry("checkedUpdates", 24_000L).containsEntry("violations", 0L);
            assertThat(got.get("lostUpdates")).isEqualTo(0L);
            assertThat(got.get("duplicates")).isEqualTo(0L);
            assertThat(got.get("decodeErrors")).isEqualTo(0L);
            assertThat(map(got, "shm")).containsEntry("logsOpened", 2L).containsEntry("laps", 0L);
            final Map<String, Long> published = new TreeMap<>();
            for (final Map<String, Object> session : sessions)
            {
                map(session, "topics").forEach((topic, count) -> published.merge(topic, (Long)count, Long::sum));
            }
            assertThat(new TreeMap<>(map(got, "topics"))).isEqualTo(published);
        }
    }

    @Test
    void shouldFindTheFeedStaleWhenItsPublisherIsKilledAndMoveToTheNextOne() throws Exception
    {
        // The reader sleeps on the log's wake word, which a killed publisher never signals again: its sleeps end
        // on their timeout, so it still finds the feed stale, and the next publisher's log wakes it.
        try (FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--shm", "kill", "--shm-dir",
            dir.toString(), "--heartbeat-interval", "200ms", "--verify", "--exit-on-end", "--duration", "120s"))
        {
            subscriber.awaitStderr("waiting for the publisher's shared memory", Duration.ofSeconds(60));
            try (FeedProcess killed = FeedProcess.start(dir, "killed", "publish", "--bind",
                "tcp://127.0.0.1:" + FeedProcess.freePort(), "--shm", "kill", "--shm-dir", dir.toString(),
                "--rate", "20000", "--instruments", Integer.toString(INSTRUMENTS), "--heartbeat-interval", "200ms",
                "--duration", "120s", "--seed", "1"))
            {
                subscriber.awaitStderr("reading shared memory", Duration.ofSeconds(60));
                try (ShmLogReader fromStart = ShmLogReader.open(dir.resolve("kill"), List.of(), true))
                {
                    assertThat(fromStart).isNotNull();
                    await().atMost(Duration.ofSeconds(60)).until(() -> fromStart.lag() > 256 * 1024);
                }
                killed.signal("KILL");
                assertThat(killed.waitFor(30)).isNotZero();
            }
            subscriber.awaitStderr("feed stale", Duration.ofSeconds(30));
            final Map<String, Object> published;
            try (FeedProcess next = FeedProcess.start(dir, "next", "publish", "--bind",
                "tcp://127.0.0.1:" + FeedProcess.freePort(), "--shm", "kill", "--shm-dir", dir.toString(),
                "--count", "12000", "--rate", "20000", "--instruments", Integer.toString(INSTRUMENTS),
                "--heartbeat-interval", "200ms", "--seed", "2"))
            {
                assertThat(next.waitFor(60)).as(next.stderr()).isZero();
                published = Json.parseObject(next.lastStdoutLine());
            }
            assertThat(subscriber.waitFor(60)).as(subscriber.stderr()).isZero();
            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());

            assertThat(subscriber.stderr()).contains("was replaced by a new one");
            assertThat(map(got, "shm")).containsEntry("logsOpened", 2L).containsEntry("laps", 0L);
            assertThat(map(published, "shm")).containsEntry("wakesReaders",
                System.getProperty("os.name").startsWith("Linux"));
            assertThat((Long)got.get("received")).as("all of the second session after some of the first")
                .isGreaterThan(12_000L);
            assertThat(map(got, "verify")).containsEntry("violations", 0L);
            assertThat(got.get("decodeErrors")).isEqualTo(0L);
        }
    }

    @Test
    void shouldRecoverWhatALappedReaderSkippedFromTheRecoveryService() throws Exception
    {
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final int capacity = 256 * 1024;
        try (FeedProcess subscriber = FeedProcess.start(dir, "lapped", "subscribe", "--shm", "lap", "--shm-dir",
            dir.toString(), "--recovery-connect", recovery, "--heartbeat-interval", "200ms", "--verify",
            "--exit-on-end", "--duration", "120s"))
        {
            await().atMost(Duration.ofSeconds(60)).until(() -> subscriber.stderr().contains("waiting for the " +
                "publisher's shared memory"));
            try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind",
                "tcp://127.0.0.1:" + FeedProcess.freePort(), "--recovery-bind", recovery, "--shm", "lap",
                "--shm-dir", dir.toString(), "--shm-capacity", Integer.toString(capacity), "--batch-max-bytes", "16384",
                "--count", "100000",
                "--rate", "20000", "--instruments", Integer.toString(INSTRUMENTS), "--heartbeat-interval", "200ms",
                "--recovery-linger", "5s"))
            {
                await().atMost(Duration.ofSeconds(60)).until(() -> subscriber.stderr().contains("reading shared " +
                    "memory"));
                // Stopped once it has read a while (every topic begun: what it then skips are gaps, not late joins).
                try (ShmLogReader fromStart = ShmLogReader.open(dir.resolve("lap"), List.of(), true))
                {
                    assertThat(fromStart).as("the log is there while the publisher runs").isNotNull();
                    await().atMost(Duration.ofSeconds(60)).until(() -> fromStart.lag() > capacity);
                }
                subscriber.signal("STOP");
                // A reader of our own, joined at the end now: its lag is how far the writer has gone since.
                try (ShmLogReader watcher = ShmLogReader.open(dir.resolve("lap"), List.of(), false))
                {
                    assertThat(watcher).as("the log is there while the publisher runs").isNotNull();
                    await().atMost(Duration.ofSeconds(60)).until(() -> watcher.lag() > 3L * capacity);
                }
                subscriber.signal("CONT");
                assertThat(publisher.waitFor(90)).as(publisher.stderr()).isZero();
                final Map<String, Object> published = Json.parseObject(publisher.lastStdoutLine());
                assertThat(subscriber.waitFor(60)).as(subscriber.stderr()).isZero();
                final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());

                assertThat((Long)map(got, "shm").get("laps")).isPositive();
                assertThat((Long)map(got, "shm").get("bytesSkipped")).isPositive();
                assertThat(subscriber.stderr()).contains("lapped by the publisher");
                assertThat((Long)got.get("gapsDetected")).isPositive();
                assertThat((Long)got.get("recovered")).isPositive().isEqualTo(got.get("lostUpdates"));
                assertThat(got.get("unrecoverable")).isEqualTo(0L);
                assertThat(got.get("received")).isEqualTo(100_000L);
                assertThat(map(got, "verify")).containsEntry("violations", 0L);
                assertThat(new TreeMap<>(map(got, "topics"))).isEqualTo(new TreeMap<>(map(published, "topics")));
                assertThat((Long)map(published, "recovery").get("gapFillRequests")).isPositive();
            }
        }
    }

    @Test
    void shouldKeepTheLogToItsOwnerAndRefuseUnreadableForeignAndDamagedFilesWithOneLine() throws Exception
    {
        // The publisher's log is 0600.
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", feed, "--recovery-bind",
            "none", "--shm", "mine", "--shm-dir", dir.toString(), "--rate", "1000", "--duration", "60s"))
        {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("mine")));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("mine"))))
                .isEqualTo("rw-------");
            try (ShmLogReader running = ShmLogReader.open(dir.resolve("mine"), List.of(), true))
            {
                // Frames written: the session runs (a SIGTERM before that would end the JVM before its hook).
                await().atMost(Duration.ofSeconds(60)).until(() -> running.lag() > 0);
            }
            publisher.signal("TERM");
            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isEqualTo(143);
            assertThat(dir.resolve("mine")).as("removed when the publisher ends").doesNotExist();
        }

        // A reader without access: a log whose mode lets nobody read it, read without the power to override that.
        try (ShmLogWriter log = ShmLogWriter.create(new ShmLocation("locked", dir), 64 * 1024, 1024, null, 1))
        {
            Files.setPosixFilePermissions(log.path(), PosixFilePermissions.fromString("---------"));
            final FeedProcess locked = start("locked", "subscribe", "--shm", "locked", "--shm-dir", dir.toString(),
                "--no-recovery", "--duration", "30s");
            assertThat(locked.waitFor(60)).isEqualTo(2);
            assertThat(locked.stderrLines()).containsExactly("feed subscribe: shared memory " + dir.resolve("locked") +
                ": permission denied (owner " + Files.getOwner(log.path()).getName() + ", group " +
                Files.readAttributes(log.path(), java.nio.file.attribute.PosixFileAttributes.class).group().getName() +
                ", mode ---------); the publisher's --shm-group gives a group read access");
        }

        // A file that is not a feed log, and one whose header was damaged.
        Files.write(dir.resolve("foreign"), "not a feed log at all\n".repeat(400).getBytes());
        try (ShmLogWriter log = ShmLogWriter.create(new ShmLocation("damaged", dir), 64 * 1024, 1024, null, 1))
        {
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(log.path(),
                java.nio.file.StandardOpenOption.WRITE))
            {
                channel.write(java.nio.ByteBuffer.wrap(new byte[] {7, 7, 7, 7}), 16);
            }
            try (FeedProcess foreign = FeedProcess.start(dir, "foreign", "subscribe", "--shm", "foreign",
                "--shm-dir", dir.toString(), "--no-recovery", "--duration", "30s");
                FeedProcess damaged = FeedProcess.start(dir, "damaged", "subscribe", "--shm", "damaged",
                    "--shm-dir", dir.toString(), "--no-recovery", "--duration", "30s");
                FeedProcess overwrite = FeedProcess.start(dir, "overwrite", "publish", "--bind",
                    "tcp://127.0.0.1:" + FeedProcess.freePort(), "--recovery-bind", "none", "--shm", "foreign",
                    "--shm-dir", dir.toString(), "--count", "10"))
            {
                assertThat(foreign.waitFor(60)).isEqualTo(2);
                assertThat(foreign.stderrLines()).hasSize(1).first().asString()
                    .startsWith("feed subscribe: shared memory " + dir.resolve("foreign") + " is ");
                assertThat(damaged.waitFor(60)).isEqualTo(2);
                assertThat(damaged.stderrLines()).hasSize(1).first().asString()
                    .startsWith("feed subscribe: shared memory " + dir.resolve("damaged") + " is ");
                assertThat(overwrite.waitFor(60)).isEqualTo(2);
                assertThat(overwrite.stderrLines()).hasSize(1).first().asString()
                    .startsWith("feed publish: shared memory " + dir.resolve("foreign"));
                assertThat(Files.readString(dir.resolve("foreign"))).as("left alone").startsWith("not a feed log");
            }
        }
    }

    /**
     * {@code scripts/feed} without the power of root to read any file, if this runs as root.
     */
    private FeedProcess start(final String name, final String... args)
    {
        final List<String> prefix = "root".equals(System.getProperty("user.name")) ?
            List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search") : List.of();
        return FeedProcess.startUnder(prefix, dir, name, args);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(final Map<String, Object> parent, final String key)
    {
        assertThat(parent).containsKey(key);
        return (Map<String, Object>)parent.get(key);
    }
}
