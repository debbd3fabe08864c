package dev.feedhandler.cli;

import dev.feedhandler.common.codec.RecoveryResponseDecoder;
import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.cli.json.Json;
import dev.feedhandler.common.wire.RecoveryReader;
import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.journal.JournalReader;
import dev.feedhandler.journal.kafka.KafkaBroker;
import dev.feedhandler.journal.kafka.KafkaRecords;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The journal on a real Apache Kafka broker (KRaft, started from the Maven artifacts once for the class): the sink
 * killed and restarted leaves every journal entry in Kafka exactly once; a broker away for 10 s is waited for,
 * reported and caught up with; the recovery service serves from Kafka what a deleted journal held; and replay from
 * Kafka prints exactly what replay from the journal prints.
 * <p>
 * It runs beside the other test classes (junit-platform.properties): most of its time is waiting. Its tests run
 * beside each other too, except the one that takes the broker away: the others share the broker and would meet an
 * outage they do not expect at a moment nobody chose.
 */
@Timeout(240)
@Execution(ExecutionMode.CONCURRENT)
class KafkaJournalProcessTest
{
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** The class's broker: the test that stops it has it to itself. */
    private static final String BROKER = "KafkaJournalProcessTest.broker";

    @TempDir
    static Path brokerDir;

    static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker()
    {
        broker = KafkaBroker.start(brokerDir);
    }

    @AfterAll
    static void stopBroker()
    {
        if (broker != null)
        {
            broker.close();
        }
    }

    @Test
    @ResourceLock(value = BROKER, mode = ResourceAccessMode.READ)
    void shouldHoldEveryJournalEntryOnceAfterTheSinkIsKilledThreeTimes() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final String topic = "killed-sink";
        // The publisher runs until the three kills are done, so each sink has something to ship when it is killed.
        try (FeedProcess publisher = FeedProcess.start(dir, "publisher", "publish", "--journal", journal.toString(),
            "--bind", "tcp://127.0.0.1:*", "--recovery-bind", "none", "--rate", "5000", "--instruments", "8"))
        {
            await().atMost(WAIT).until(() -> Files.exists(journal.resolve("metadata.cq4t")));
            for (int kill = 1; kill <= 3; kill++)
            {
                try (FeedProcess sink = sink(journal, topic, "sink-" + kill))
                {
                    // Killed while it ships: once Kafka has acknowledged some of what it sent.
                    await().atMost(WAIT).until(() -> acknowledged(sink) > 200);
                    sink.signal("KILL");
                    assertThat(sink.waitFor(30)).isEqualTo(137);
                }
            }
            publisher.signal("TERM");
            assertThat(publisher.waitFor(30)).as(publisher.stderr()).isEqualTo(143);
        }
        final Map<String, Object> summary;
        try (FeedProcess sink = sink(journal, topic, "sink-last", "--exit-at-end"))
        {
            assertThat(sink.waitFor(90)).as(sink.stderr()).isZero();
            summary = Json.parseObject(sink.lastStdoutLine());
        }
        assertThat((Long)summary.get("skipped")).as("entries found in Kafka on the last resume").isPositive();
        assertThat(summary.get("stopReason")).isEqualTo("end");
        assertKafkaHoldsTheJournal(journal, topic);

        // Replay from Kafka prints what replay from the journal prints, filters included.
        final String[] filters = {"--format", "csv", "--instrument", "EUR", "--from", fifthEntryTime(journal)};
        assertThat(replay("kafka", filters, "--kafka", "--bootstrap-servers", broker.bootstrapServers(), "--topic",
            topic)).isEqualTo(replay("journal", filters, "--journal", journal.toString())).hasSizeGreaterThan(1000);
    }

    @Test
    @ResourceLock(value = BROKER, mode = ResourceAccessMode.READ_WRITE)
    void shouldWaitReportAndResumeWhenTheBrokerIsAwayForTenSeconds() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final String topic = "broker-away";
        try (FeedProcess publisher = FeedProcess.start(dir, "publisher", "publish", "--journal", journal.toString(),
            "--bind", "tcp://127.0.0.1:*", "--recovery-bind", "none", "--rate", "10000", "--instruments", "8",
            "--duration", "10s"))
        {
            await().atMost(WAIT).until(() -> Files.exists(journal.resolve("metadata.cq4t")));
            try (FeedProcess sink = sink(journal, topic, "sink", "--stall-report", "1s"))
            {
                brokerAway(publisher, sink);
            }
        }
        assertKafkaHoldsTheJournal(journal, topic);
    }

    /**
     * Stops the broker once the sink ships, keeps it away for 10 s while the publisher goes on, starts it again, and
     * checks the sink reported the stall, caught up and summed it up.
     */
    private static void brokerAway(final FeedProcess publisher, final FeedProcess sink) throws Exception
    {
        await().atMost(WAIT).until(() -> acknowledged(sink) > 100);
        final long stoppedNs = System.nanoTime();
        try
        {
            broker.stop();
            await().atMost(WAIT).until(() -> sink.stderr().contains("has acknowledged nothing"));
            await().atMost(WAIT).until(() -> System.nanoTime() - stoppedNs >= Duration.ofSeconds(10).toNanos());
            assertThat(lastStatus(sink)).as("status line while Kafka is away").contains("kafka stalled");
        }
        finally
        {
            broker.start();
        }
        await().atMost(WAIT).until(() -> sink.stderr().contains("Kafka acknowledges again"));
        assertThat(publisher.waitFor(60)).as(publisher.stderr()).isZero();
        await().atMost(WAIT).until(() -> lastStatus(sink).contains(" lag 0 "));
        sink.signal("TERM");
        // A JVM ended by SIGTERM exits with 143 after its shutdown hook let the summary out.
        assertThat(sink.waitFor(30)).as(sink.stderr()).isEqualTo(143);
        final Map<String, Object> summary = Json.parseObject(sink.lastStdoutLine());
        assertThat((Long)summary.get("stalls")).isPositive();
        assertThat((Long)summary.get("lag")).isZero();
    }

    @Test
    @ResourceLock(value = BROKER, mode = ResourceAccessMode.READ)
    void shouldServeRecoveryFromKafkaWhenTheLocalJournalWasDeleted() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final String topic = "recovery";
        final Map<String, Object> first;
        try (FeedProcess publisher = FeedProcess.start(dir, "first", "publish", "--journal", journal.toString(),
            "--bind", "tcp://127.0.0.1:*", "--recovery-bind", "none", "--rate", "5000", "--instruments", "4",
            "--count", "10000"))
        {
            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isZero();
            first = Json.parseObject(publisher.lastStdoutLine());
        }
        try (FeedProcess sink = sink(journal, topic, "sink", "--exit-at-end"))
        {
            assertThat(sink.waitFor(90)).as(sink.stderr()).isZero();
        }
        final long epoch = (Long)first.get("sessionEpoch");
        final List<byte[]> expected = batches(journal, "EURUSD", 1, 200);
        assertThat(expected).isNotEmpty();
        deleteRecursively(journal);

        final int port = FeedProcess.freePort();
        final String endpoint = "tcp://127.0.0.1:" + port;
        try (FeedProcess second = FeedProcess.start(dir, "second", "publish", "--journal",
            dir.resolve("journal-2").toString(), "--bind", "tcp://127.0.0.1:*", "--recovery-bind", endpoint,
            "--recovery-kafka", broker.bootstrapServers(), "--recovery-kafka-topic", topic, "--rate", "100",
            "--instruments", "4", "--duration", "60s", "--stats-interval", "100ms");
            ZContext context = new ZContext(1);
            ZMQ.Socket client = context.createSocket(SocketType.DEALER))
        {
            // A publisher that cannot start fails the test at once with its log (seen: its recovery port taken,
            // before FeedProcess.freePort kept the port above each one it hands out free).
            second.awaitStderr("feed publish: rate", WAIT);
            client.setLinger(0);
            client.setReceiveTimeOut(5_000);
            client.connect(endpoint);
            // As the subscriber's recovery client does: a request not answered is asked again, and a reply that
            // stops short (a lookup answers with what it found within its deadline) is followed by a request for
            // the rest; a late reply to an earlier request for the same range counts, one for an earlier range not.
            final List<byte[]> served = new ArrayList<>();
            final long[] next = {1};
            final long[] requestId = {0};
            final long[] firstForNext = {1};
            final RecoveryReader reader = new RecoveryReader();
            final long[] stale = {0};
            try
            {
                await().atMost(WAIT).until(() ->
                {
                    final UnsafeBuffer request = new UnsafeBuffer(new byte[64]);
                    final int length =
                        new RecoveryWriter().gapFillRequest(request, 0, ++requestId[0], epoch, next[0], 200);
                    client.send("EURUSD".getBytes(StandardCharsets.US_ASCII), ZMQ.SNDMORE);
                    client.send(Arrays.copyOf(request.byteArray(), length), 0);
                    for (List<byte[]> reply = receive(client); reply != null; reply = receive(client))
                    {
                        assertThat(reader.read(new UnsafeBuffer(reply.get(1)), 0, reply.get(1).length))
                            .isEqualTo(RecoveryResponseDecoder.TEMPLATE_ID);
                        if (reader.response().requestId() < firstForNext[0])
                        {
                            stale[0]++;
                            continue;
                        }
                        // PARTIAL: the lookup ran out of time after it found some (or the page was full).
                        assertThat(reader.response().status()).isIn(RecoveryStatus.OK, RecoveryStatus.PARTIAL);
                        assertThat(reader.response().sessionEpoch()).isEqualTo(epoch);
                        served.addAll(reply.subList(2, reply.size()));
                        next[0] = reader.response().toSequence() + 1;
                        firstForNext[0] = requestId[0] + 1;
                        break;
                    }
                    return next[0] > 200;
                });
            }
            catch (final ConditionTimeoutException ex)
            {
                // What the client saw and what the service logged (status lines left out), for a failure seen once.
                throw new AssertionError(String.format("recovery from Kafka not complete in %s: %d requests, %d " +
                    "stale replies, %d batches served, next sequence %d%npublisher log:%n%s%nlast status: %s",
                    WAIT, requestId[0], stale[0], served.size(), next[0], String.join(System.lineSeparator(),
                    second.stderrLines().stream().filter(line -> !line.startsWith("feed publish: rate")).toList()),
                    second.stderrTail(1)), ex);
            }
            assertThat(served).as("the batches the deleted journal held, byte for byte")
                .containsExactlyElementsOf(expected);
            second.signal("TERM");
            assertThat(second.waitFor(30)).as(second.stderr()).isEqualTo(143);
            final Map<?, ?> recovery = (Map<?, ?>)Json.parseObject(second.lastStdoutLine()).get("recovery");
            // Every batch the service sent counts, also those answering a request the client had already repeated
            // (a loaded machine: 588 for 84 in one full-suite run), so at least the batches that were needed.
            assertThat((Long)recovery.get("batchesFromKafka")).isGreaterThanOrEqualTo(expected.size());
            assertThat((Long)recovery.get("batchesFromJournal")).isZero();
        }
    }

    private static List<byte[]> receive(final ZMQ.Socket client)
    {
        final byte[] first = client.recv(0);
        if (first == null)
        {
            return null;
        }
        final List<byte[]> reply = new ArrayList<>();
        reply.add(first);
        while (client.hasReceiveMore())
        {
            reply.add(client.recv(0));
        }
        return reply;
    }

    private static FeedProcess sink(final Path journal, final String topic, final String name, final String... more)
    {
        final List<String> args = new ArrayList<>(List.of("kafka-sink", "--journal", journal.toString(),
            "--bootstrap-servers", broker.bootstrapServers(), "--topic", topic, "--partitions", "3",
            "--stats-interval", "100ms"));
        args.addAll(List.of(more));
        return FeedProcess.start(journal.getParent(), name, args.toArray(String[]::new));
    }

    private static String lastStatus(final FeedProcess sink)
    {
        final List<String> lines = sink.stderrLines();
        for (int i = lines.size() - 1; i >= 0; i--)
        {
            if (lines.get(i).startsWith("feed kafka-sink: "))
            {
                return lines.get(i) + " ";
            }
        }
        return "";
    }

    private static long acknowledged(final FeedProcess sink)
    {
        final String[] words = lastStatus(sink).split(" ");
        for (int i = 0; i < words.length - 1; i++)
        {
            if ("entries".equals(words[i]))
            {
                return Long.parseLong(words[i + 1]);
            }
        }
        return 0;
    }

    /**
     * Kafka holds each journal entry exactly once: as many records as entries, each index once, each value the
     * entry byte for byte, each in the partition of its key.
     */
    private static void assertKafkaHoldsTheJournal(final Path journal, final String topic)
    {
        final Map<Long, byte[]> entries = new LinkedHashMap<>();
        try (JournalReader reader = JournalReader.open(journal))
        {
            reader.read(entry ->
            {
                final byte[] bytes = new byte[entry.buffer().capacity()];
                entry.buffer().getBytes(0, bytes);
                entries.put(entry.index(), bytes);
                return true;
            });
        }
        final List<ConsumerRecord<byte[], byte[]>> records = readTopic(topic);
        final Map<Long, byte[]> inKafka = new HashMap<>();
        for (final ConsumerRecord<byte[], byte[]> record : records)
        {
            final long index = KafkaRecords.index(record);
            if (inKafka.put(index, record.value()) != null)
            {
                throw new AssertionError("journal index " + index + " twice in Kafka");
            }
            if (record.partition() != KafkaRecords.partition(record.key(), 3))
            {
                throw new AssertionError("journal index " + index + " in partition " + record.partition());
            }
        }
        assertThat(records).as("records in Kafka").hasSize(entries.size());
        // Set equality and a plain loop: AssertJ's containsExactlyInAnyOrder is quadratic.
        assertThat(inKafka.keySet().equals(entries.keySet())).as("the same journal indexes in Kafka").isTrue();
        final List<Long> differing = new ArrayList<>();
        entries.forEach((index, bytes) ->
        {
            if (!Arrays.equals(inKafka.get(index), bytes))
            {
                differing.add(index);
            }
        });
        assertThat(differing).as("entries whose bytes differ in Kafka").isEmpty();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readTopic(final String topic)
    {
        final Map<String, Object> properties = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties))
        {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            // Polls as long as records come: Awaitility's 100 ms between evaluations is for when none come (one
            // poll per evaluation took 30 s for 150k records).
            await().atMost(WAIT).until(() ->
            {
                int polled;
                do
                {
                    final int before = records.size();
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                    polled = records.size() - before;
                }
                while (polled > 0);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return records;
    }

    /** The payloads of the journal's batches of a topic that carry sequences from..to. */
    private static List<byte[]> batches(final Path journal, final String topic, final long from, final long to)
    {
        final List<byte[]> payloads = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(journal))
        {
            reader.read(entry ->
            {
                if (entry.kindCode() == JournalEntry.KIND_BATCH && entry.topic().equals(topic) &&
                    entry.sequence() <= to && entry.sequence() + entry.updateCount() - 1 >= from)
                {
                    payloads.add(Arrays.copyOfRange(entry.payloadBytes(), 0, entry.payloadLength()));
                }
                return true;
            });
        }
        return payloads;
    }

    private static String fifthEntryTime(final Path journal)
    {
        final long[] time = new long[1];
        try (JournalReader reader = JournalReader.open(journal))
        {
            final int[] seen = {0};
            reader.read(entry ->
            {
                time[0] = entry.journalTimestampNs();
                return ++seen[0] < 5;
            });
        }
        return java.time.Instant.ofEpochSecond(0, time[0]).toString();
    }

    private List<String> replay(final String name, final String[] filters, final String... source) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("replay"));
        args.addAll(List.of(source));
        args.addAll(List.of(filters));
        try (FeedProcess replay = FeedProcess.start(dir, "replay-" + name, args.toArray(String[]::new)))
        {
            assertThat(replay.waitFor(60)).as(replay.stderr()).isZero();
            return replay.stdoutLines();
        }
    }

    private static void deleteRecursively(final Path path) throws Exception
    {
        try (Stream<Path> files = Files.walk(path))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(file);
            }
        }
    }
}
