package dev.feedhandler.publisher.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The publisher's JeroMQ I/O threads start under SCHED_BATCH (real contexts, real threads, their policy read back
 * from /proc), OTHER leaves them alone, and a policy that cannot be applied leaves a working context.
 */
@Timeout(30)
class IoThreadPolicyTest
{
    private static final Path TASKS = Path.of("/proc/self/task");

    @Test
    void shouldStartTheIoThreadsOfAContextUnderSchedBatch() throws IOException
    {
        assumeLinuxWithChrt();
        final Set<String> before = ioThreads();
        try (ZContext context = IoThreadPolicy.BATCH.install(new ZContext(2)))
        {
            final ZMQ.Socket socket = context.createSocket(SocketType.XPUB);
            socket.bind("tcp://127.0.0.1:*");

            final Set<String> started = new HashSet<>();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            {
                started.clear();
                started.addAll(ioThreads());
                started.removeAll(before);
                assertThat(started).hasSize(2);
                for (final String thread : started)
                {
                    assertThat(IoThreadScheduler.policyOf(TASKS.resolve(thread).resolve("stat")))
                        .as("policy of I/O thread %s", thread).isEqualTo(IoThreadScheduler.SCHED_BATCH);
                }
            });
            assertThat(roundTrip(context, socket)).isTrue();
        }
    }

    @Test
    void shouldLeaveTheIoThreadsAloneWithOther() throws IOException
    {
        assumeThat(System.getProperty("os.name").toLowerCase(Locale.ROOT)).startsWith("linux");
        final Set<String> before = ioThreads();
        try (ZContext context = IoThreadPolicy.OTHER.install(new ZContext(1)))
        {
            final ZMQ.Socket socket = context.createSocket(SocketType.XPUB);
            socket.bind("tcp://127.0.0.1:*");
            assertThat(roundTrip(context, socket)).isTrue();

            final Set<String> started = ioThreads();
            started.removeAll(before);
            assertThat(started).hasSize(1);
            assertThat(IoThreadScheduler.policyOf(TASKS.resolve(started.iterator().next()).resolve("stat")))
                .isZero();
        }
    }

    @Test
    void shouldRunTheContextAsItIsWhenThePolicyCannotBeApplied()
    {
        final List<String> missing = List.of("/nonexistent/chrt", "--batch", "--pid", "0");
        final AtomicBoolean applied = new AtomicBoolean(true);
        try (ZContext context = new ZContext(1))
        {
            context.setThreadFactor((runnable, name) -> new Thread(() ->
            {
                applied.set(IoThreadScheduler.applyToCurrentThread(name, missing));
                runnable.run();
            }, name));
            final ZMQ.Socket socket = context.createSocket(SocketType.XPUB);
            socket.bind("tcp://127.0.0.1:*");

            assertThat(roundTrip(context, socket)).isTrue();
            assertThat(applied).isFalse();
        }
    }

    @Test
    void shouldReadThePolicyFieldWhateverTheThreadsName(@TempDir final Path dir) throws IOException
    {
        final StringBuilder stat = new StringBuilder("4242 (odd) name (x) S");
        for (int field = 4; field <= 52; field++)
        {
            stat.append(' ').append(field == 41 ? 3 : field);
        }
        final Path file = Files.writeString(dir.resolve("stat"), stat.append('\n').toString());

        assertThat(IoThreadScheduler.policyOf(file)).isEqualTo(3);
    }

    private static boolean roundTrip(final ZContext context, final ZMQ.Socket publisher)
    {
        final ZMQ.Socket subscriber = context.createSocket(SocketType.SUB);
        subscriber.subscribe("t".getBytes(ZMQ.CHARSET));
        subscriber.setReceiveTimeOut(100);
        subscriber.connect(publisher.getLastEndpoint());
        final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline)
        {
            publisher.send("t1", ZMQ.DONTWAIT);
            final String received = subscriber.recvStr();
            if ("t1".equals(received))
            {
                return true;
            }
        }
        return false;
    }

    private static Set<String> ioThreads() throws IOException
    {
        final Set<String> threads = new HashSet<>();
        try (var tasks = Files.list(TASKS))
        {
            for (final Path task : (Iterable<Path>)tasks::iterator)
            {
                try
                {
                    if (Files.readString(task.resolve("comm")).startsWith("iothread"))
                    {
                        threads.add(task.getFileName().toString());
                    }
                }
                catch (final IOException ex)
                {
                    // the thread ended between the listing and the read
                }
            }
        }
        return threads;
    }

    private static void assumeLinuxWithChrt()
    {
        assumeThat(System.getProperty("os.name").toLowerCase(Locale.ROOT)).startsWith("linux");
        boolean chrt;
        try
        {
            chrt = new ProcessBuilder("chrt", "--version").redirectErrorStream(true).start().waitFor() == 0;
        }
        catch (final IOException ex)
        {
            chrt = false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            chrt = false;
        }
        assumeThat(chrt).as("util-linux chrt on the PATH").isTrue();
    }
}
