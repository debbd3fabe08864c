package dev.feedhandler.journal.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One real Apache Kafka broker in KRaft mode (broker and controller in one process) on loopback, run from the Maven
 * artifacts as a child JVM: it formats its storage once, starts, and is ready when it answers an administrative
 * call. {@link #stop()} ends it as a signal would (a clean shutdown), {@link #start()} brings it back on the same
 * ports and data. Used by the tests and by {@code scripts/kafka-dev}.
 */
public final class KafkaBroker implements AutoCloseable
{
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);
    private static final long STOP_TIMEOUT_S = 30;

    private final Path directory;
    private final int port;
    private final int controllerPort;
    private final String classpath;
    private final String clusterId;
    private Process process;

    private KafkaBroker(final Path directory, final int port, final int controllerPort, final String classpath)
    {
        this.directory = directory;
        this.port = port;
        this.controllerPort = controllerPort;
        this.classpath = classpath;
        this.clusterId = Uuid.randomUuid().toString();
    }

    /**
     * Formats (unless already formatted) and starts a broker on free loopback ports, with this JVM's classpath.
     *
     * @param directory where its configuration, data and log go.
     * @return the running broker.
     */
    public static KafkaBroker start(final Path directory)
    {
        return start(directory, freePort(), System.getProperty("java.class.path"));
    }

    /**
     * Formats (unless already formatted) and starts a broker.
     *
     * @param directory where its configuration, data and log go.
     * @param port      the client port on 127.0.0.1.
     * @param classpath a classpath holding the broker ({@code kafka_2.13}) and its dependencies.
     * @return the running broker.
     */
    public static KafkaBroker start(final Path directory, final int port, final String classpath)
    {
        final KafkaBroker broker = new KafkaBroker(directory, port, freePort(), classpath);
        broker.configure();
        broker.start();
        return broker;
    }

    /**
     * The bootstrap address.
     *
     * @return {@code 127.0.0.1:PORT}.
     */
    public String bootstrapServers()
    {
        return "127.0.0.1:" + port;
    }

    /**
     * Where the broker writes its log.
     *
     * @return the file.
     */
    public Path log()
    {
        return directory.resolve("broker.log");
    }

    private void configure()
    {
        try
        {
            Files.createDirectories(directory);
            final String properties = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + directory.resolve("data"),
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
            Files.writeString(directory.resolve("server.properties"), properties, StandardCharsets.UTF_8);
            // The broker logs through SLF4J; keep its log to warnings, in its own file (stdout is redirected).
            Files.writeString(directory.resolve("logback.xml"), String.join("\n",
                "<configuration>",
                "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
                "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder>",
                "  </appender>",
                "  <logger name=\"kafka.server.KafkaRaftServer\" level=\"INFO\"/>",
                "  <logger name=\"kafka.server.BrokerServer\" level=\"INFO\"/>",
                "  <root level=\"WARN\"><appender-ref ref=\"OUT\"/></root>",
                "</configuration>", ""), StandardCharsets.UTF_8);
            if (!Files.exists(directory.resolve("data").resolve("meta.properties")))
            {
                final Process format = java("kafka.tools.StorageTool", "format", "--cluster-id", clusterId,
                    "--config", directory.resolve("server.properties").toString(), "--ignore-formatted");
                if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0)
                {
                    format.destroyForcibly();
                    throw new IllegalStateException("formatting the Kafka storage failed; see " + log());
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Starts the broker (again) and waits until it answers.
     */
    public void start()
    {
        if (process != null && process.isAlive())
        {
            return;
        }
        process = java("kafka.Kafka", directory.resolve("server.properties").toString());
        final long deadline = System.nanoTime() + START_TIMEOUT_NS;
        awaitListening(deadline);
        try (Admin admin = Admin.create(Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000",
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000")))
        {
            while (true)
            {
                if (!process.isAlive())
                {
                    throw new IllegalStateException("the Kafka broker ended at start (exit status " +
                        process.exitValue() + "); see " + log());
                }
                try
                {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return;
                }
                catch (final Exception ex)
                {
                    if (System.nanoTime() - deadline > 0)
                    {
                        stop();
                        throw new IllegalStateException("the Kafka broker did not answer within " +
                            TimeUnit.NANOSECONDS.toSeconds(START_TIMEOUT_NS) + " s; see " + log(), ex);
                    }
                }
            }
        }
    }

    /**
     * Waits until the client port accepts connections, so the administrative client's first call finds a broker
     * (a client that finds none backs off for seconds).
     */
    private void awaitListening(final long deadline)
    {
        while (System.nanoTime() - deadline < 0 && process.isAlive())
        {
            try (java.net.Socket socket = new java.net.Socket())
            {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 100);
                return;
            }
            catch (final IOException ex)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    /**
     * Stops the broker as SIGTERM does (Kafka's clean shutdown) and waits for it to end.
     */
    public void stop()
    {
        if (process == null)
        {
            return;
        }
        process.destroy();
        try
        {
            if (!process.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Whether the broker process runs.
     *
     * @return true if alive.
     */
    public boolean isRunning()
    {
        return process != null && process.isAlive();
    }

    private Process java(final String mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-Xms256m");
        command.add("-Djava.awt.headless=true");
        command.add("-Dlogback.configurationFile=" + directory.resolve("logback.xml"));
        command.add("-Dlog4j2.level=WARN");
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(List.of(args));
        try
        {
            return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start java for " + mainClass, ex);
        }
    }

    /**
     * A port free on loopback now.
     *
     * @return the port.
     */
    public static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Stops the broker.
     */
    @Override
    public void close()
    {
        stop();
    }
}
