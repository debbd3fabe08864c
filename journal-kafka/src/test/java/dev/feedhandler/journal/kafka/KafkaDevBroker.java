package dev.feedhandler.journal.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code scripts/kafka-dev}: one Kafka broker (KRaft, broker and controller in one process) on loopback to try the
 * Kafka features with. Formats its storage on first use, starts the broker, prints the bootstrap address alone on
 * stdout, and on SIGINT or SIGTERM stops it cleanly.
 * <pre>
 *   scripts/kafka-dev [--port PORT] [--dir DIR]     (defaults: 9092, target/kafka-dev under journal-kafka)
 * </pre>
 */
public final class KafkaDevBroker
{
    private KafkaDevBroker()
    {
    }

    /**
     * Runs the broker until a signal.
     *
     * @param args {@code --port PORT} (0 for any free one), {@code --dir DIR}.
     * @throws InterruptedException never in practice.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        int port = 9092;
        Path directory = null;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (("--port".equals(arg) || "--dir".equals(arg)) && i + 1 < args.length)
            {
                final String value = args[++i];
                if ("--port".equals(arg))
                {
                    try
                    {
                        port = Integer.parseInt(value);
                    }
                    catch (final NumberFormatException ex)
                    {
                        fail(2, "--port must be a number, was '" + value + "'");
                    }
                }
                else
                {
                    directory = Path.of(value);
                }
            }
            else if ("--help".equals(arg) || "-h".equals(arg))
            {
                System.out.println("usage: scripts/kafka-dev [--port PORT] [--dir DIR]");
                System.out.println("  Starts one Kafka broker (KRaft) on 127.0.0.1:PORT (default 9092, 0 for a free " +
                    "port) with its data in DIR (kept between runs), prints the bootstrap address, and stops it " +
                    "cleanly on Ctrl-C.");
                return;
            }
            else
            {
                fail(2, "unknown argument '" + arg + "' (see --help)");
            }
        }
        if (port == 0)
        {
            port = KafkaBroker.freePort();
        }
        else if (!isFree(port))
        {
            fail(2, "cannot start a broker on 127.0.0.1:" + port + ": address already in use (try --port 0)");
        }
        final String classpath = System.getProperty("kafka.broker.classpath", System.getProperty("java.class.path"));
        final Path dir = directory != null ? directory : Path.of(System.getProperty("kafka.dev.dir", "kafka-dev"));
        System.err.println("kafka-dev: starting a broker on 127.0.0.1:" + port + " (data and broker.log in " +
            dir.toAbsolutePath() + ")");
        final KafkaBroker broker;
        try
        {
            broker = KafkaBroker.start(dir.toAbsolutePath(), port, classpath);
        }
        catch (final RuntimeException ex)
        {
            fail(1, ex.getMessage());
            return;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            System.err.println("kafka-dev: stopping the broker");
            broker.stop();
            System.err.println("kafka-dev: stopped");
            stopped.countDown();
        }, "kafka-dev-stop"));
        System.out.println(broker.bootstrapServers());
        System.out.flush();
        System.err.println("kafka-dev: ready; Ctrl-C stops it");
        while (broker.isRunning())
        {
            Thread.sleep(500);
        }
        if (stopped.getCount() > 0)
        {
            fail(1, "the broker ended on its own; see " + broker.log());
        }
    }

    private static boolean isFree(final int port)
    {
        try (ServerSocket socket = new ServerSocket())
        {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static void fail(final int status, final String message)
    {
        System.err.println("kafka-dev: " + message);
        System.exit(status);
    }
}
