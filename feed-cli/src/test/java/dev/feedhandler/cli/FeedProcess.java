package dev.feedhandler.cli;

import dev.feedhandler.common.counters.CountersDirectory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@code scripts/feed} as a child process, exactly as a user would, with this test JVM's classpath (so the
 * launcher does not build) and its output captured in files.
 */
final class FeedProcess implements AutoCloseable
{
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private FeedProcess(final Process process, final Path stdout, final Path stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static Path root()
    {
        final String root = System.getProperty("feed.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    static FeedProcess start(final Path directory, final String name, final String... args)
    {
        return startUnder(List.of(), directory, name, args);
    }

    /**
     * Runs {@code scripts/feed} under another command ({@code setpriv ...}).
     */
    static FeedProcess startUnder(final List<String> prefix, final Path directory, final String name,
        final String... args)
    {
        return start(prefix, Map.of(), directory, name, args);
    }

    /**
     * Runs {@code scripts/feed} with more environment variables ({@code FEED_JAVA_OPTS=-D...}).
     */
    static FeedProcess startWith(final Map<String, String> environment, final Path directory, final String name,
        final String... args)
    {
        return start(List.of(), environment, directory, name, args);
    }

    private static FeedProcess start(final List<String> prefix, final Map<String, String> environment,
        final Path directory, final String name, final String... args)
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add("bash");
        command.add(root().resolve("scripts/feed").toString());
        command.addAll(withoutWarmUp(args));
        final Path out = directory.resolve(name + ".out");
        final Path err = directory.resolve(name + ".err");
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
        builder.environment().put("FEED_CLASSPATH", System.getProperty("java.class.path"));
        // Counters files of test processes stay in the test's directory, not in the machine's /dev/shm.
        builder.environment().put(CountersDirectory.ENVIRONMENT_VARIABLE, countersDirectory(directory).toString());
        builder.environment().putAll(environment);
        try
        {
            return new FeedProcess(builder.start(), out, err);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The arguments, with {@code --no-warm-up} at the end for {@code publish} or {@code subscribe} unless they say
     * either: the default JIT warm-up (a private feed through a catch-up, one to three seconds) buys a test nothing
     * and would shift every test's timeline; the tests of the warm-up ask for it ({@code CatchUpProcessTest}).
     */
    static List<String> withoutWarmUp(final String... args)
    {
        final List<String> list = new ArrayList<>(Arrays.asList(args));
        final boolean feed = !list.isEmpty() && ("publish".equals(list.get(0)) || "subscribe".equals(list.get(0)));
        if (feed && list.stream().noneMatch(arg -> arg.endsWith("-warm-up")))
        {
            list.add("--no-warm-up");
        }
        return list;
    }

    /**
     * Where the processes started in {@code directory} keep their counters files (their default).
     */
    static Path countersDirectory(final Path directory)
    {
        return directory.resolve("counters");
    }

    /**
     * The JVM's pid (the launcher execs java).
     */
    long pid()
    {
        return process.pid();
    }

    /**
     * Waits until the process has printed a text on stderr. Fails at once, with its log, if it ends first; on timeout
     * with its log and the stacks of its threads (SIGQUIT makes the JVM print them on stdout), so a start-up that
     * hangs says where.
     *
     * @param text   what to wait for.
     * @param atMost how long.
     * @throws Exception if interrupted.
     */
    void awaitStderr(final String text, final Duration atMost) throws Exception
    {
        try
        {
            Awaitility.await().atMost(atMost).until(() -> stderr().contains(text) || !process.isAlive());
        }
        catch (final ConditionTimeoutException ex)
        {
            signal("QUIT");
            try
            {
                Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> String.join("\n", stdoutLines()).contains("Full thread dump"));
            }
            catch (final ConditionTimeoutException dumpMissing)
            {
                // What stdout holds is reported as it is.
            }
            throw new AssertionError("no '" + text + "' on stderr within " + atMost + "; stderr:\n" +
                stderrTail(60) + "\nstdout:\n" + String.join("\n", stdoutLines()), ex);
        }
        if (!stderr().contains(text))
        {
            throw new AssertionError("ended with status " + process.exitValue() + " before it printed '" + text +
                "'; stderr:\n" + stderrTail(60));
        }
    }

    int waitFor(final long seconds) throws InterruptedException
    {
        if (!process.waitFor(seconds, TimeUnit.SECONDS))
        {
            // A process that hangs says where: the JVM prints its threads' stacks on stderr at SIGQUIT.
            try
            {
                signal("QUIT");
                process.waitFor(1, TimeUnit.SECONDS);
            }
            catch (final IOException ex)
            {
                // No stacks then: the failure below still says the process hung.
            }
            process.destroyForcibly();
            throw new AssertionError("process did not end within " + seconds + " s; stderr, ending with its " +
                "threads' stacks:\n" + stderr());
        }
        return process.exitValue();
    }

    void signal(final String name) throws IOException, InterruptedException
    {
        // The process is bash exec-ing java: the pid is the JVM's.
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    List<String> stdoutLines()
    {
        return lines(stdout);
    }

    List<String> stderrLines()
    {
        return lines(stderr);
    }

    /**
     * The last lines of the log, for a failure's message (status lines every 100-200 ms make the whole too long).
     *
     * @param count how many lines at most.
     * @return them, one per line.
     */
    String stderrTail(final int count)
    {
        final List<String> lines = stderrLines();
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    String stderr()
    {
        return String.join("\n", lines(stderr));
    }

    String lastStdoutLine()
    {
        final List<String> lines = stdoutLines();
        if (lines.isEmpty())
        {
            throw new AssertionError("no output; stderr:\n" + stderr());
        }
        return lines.get(lines.size() - 1);
    }

    Path stdoutFile()
    {
        return stdout;
    }

    private static List<String> lines(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** First port handed out by {@link #freePort}: below Linux's ephemeral range (32768-60999 by default). */
    private static final int FIRST_PORT = 20_000;
    /** Pairs of ports {@link #freePort} hands out: [FIRST_PORT, FIRST_PORT + 2 * PAIRS). */
    private static final int PAIRS = 6_000;
    private static final AtomicInteger NEXT_PAIR = new AtomicInteger(new Random().nextInt(PAIRS));

    /**
     * A port free now, with the one above it, that no other caller in this JVM gets again, taken below the kernel's
     * ephemeral range: a test binds it seconds later (a subscriber connects first, publishers come up after a lead),
     * and a port the kernel handed out for {@code bind(0)} could meanwhile go to another process of the other JUnit
     * lane, or be the source port of its outgoing connection (seen: a subscriber connected to another test's listener
     * on its line's port). The port above is kept out of everyone else's way because a publisher bound to a feed
     * port binds its recovery service on the next one by default (seen twice, in CI's red run and a hunt's: a
     * recovery port handed to one test was the default recovery port of another test's publisher, "address already
     * in use").
     */
    static int freePort()
    {
        for (int attempt = 0; attempt < PAIRS; attempt++)
        {
            final int port = FIRST_PORT + 2 * Math.floorMod(NEXT_PAIR.getAndIncrement(), PAIRS);
            if (isFree(port) && isFree(port + 1))
            {
                return port;
            }
        }
        throw new IllegalStateException("no free pair of ports in " + FIRST_PORT + ".." + (FIRST_PORT + 2 * PAIRS - 1));
    }

    private static boolean isFree(final int port)
    {
        try (ServerSocket socket = new ServerSocket())
        {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
    }
}
