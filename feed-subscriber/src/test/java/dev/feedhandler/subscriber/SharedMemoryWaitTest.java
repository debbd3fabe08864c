package dev.feedhandler.subscriber;

import dev.feedhandler.common.shm.ShmLocation;
import dev.feedhandler.common.shm.ShmLogWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import static dev.feedhandler.subscriber.RecoveringSubscriberTest.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a shared-memory subscriber waits, with a real log in a temporary directory: by default (receive mode
 * {@code block}) asleep until the publisher signals, on Linux; on its timer for a log whose writer does not wake
 * readers, and with an explicit {@code --receive-idle} strategy. Every write is delivered in each case.
 */
@Timeout(30)
class SharedMemoryWaitTest
{
    private static final long EPOCH = 1_000;
    private static final boolean LINUX = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux");

    @TempDir
    Path dir;

    private final RecordingListener listener = new RecordingListener();
    private ShmLogWriter writer;
    private FeedSubscriber subscriber;

    @AfterEach
    void tearDown()
    {
        if (subscriber != null)
        {
            subscriber.close();
        }
        if (writer != null)
        {
            writer.close();
        }
    }

    private void start(final boolean wakeReaders, final SubscriberBuilder builder)
    {
        final ShmLocation location = new ShmLocation("wait", dir);
        writer = ShmLogWriter.create(location, 64 * 1024, 4096, null, EPOCH, wakeReaders);
        subscriber = builder.sharedMemory(location).heartbeatIntervalMs(0).listener(listener).build().start();
        await().atMost(Duration.ofSeconds(10))
            .until(() -> subscriber.sharedMemorySummary().containsKey("wokenByWriter"));
    }

    /** Writes batches one by one, each signalled as the publisher does after a duty cycle, and waits for each. */
    private void writeAndAwait(final int batches)
    {
        for (int i = 0; i < batches; i++)
        {
            final byte[] payload = batch(EPOCH, i + 1, 1);
            assertThat(writer.write("EURUSD".getBytes(StandardCharsets.US_ASCII), new UnsafeBuffer(payload), 0,
                payload.length)).isTrue();
            writer.signal();
            final int expected = i + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.eventsWith("EURUSD Q ").size() == expected);
        }
    }

    @Test
    void shouldSleepUntilThePublisherWritesByDefault()
    {
        start(true, FeedSubscriber.builder());

        writeAndAwait(20);

        assertThat(subscriber.sharedMemorySummary()).containsEntry("wokenByWriter", LINUX);
        if (LINUX)
        {
            assertThat(writer.summary().get("readersWoken")).as("the reader was asleep when signalled")
                .isNotEqualTo(0L);
        }
    }

    @Test
    void shouldLookOnItsTimerWhenThePublisherDoesNotWakeReaders()
    {
        start(false, FeedSubscriber.builder());

        writeAndAwait(20);

        assertThat(subscriber.sharedMemorySummary()).containsEntry("wokenByWriter", false);
        assertThat(writer.summary()).containsEntry("wakeCalls", 0L);
    }

    @Test
    void shouldUseTheTimerStrategyAskedFor()
    {
        start(true, FeedSubscriber.builder().receiveIdle("sleep:50us"));

        writeAndAwait(20);

        assertThat(writer.summary()).as("nobody asleep on the word").containsEntry("readersWoken", 0L);
    }
}
