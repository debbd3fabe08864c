package dev.feedhandler.perf;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the harness runs: the repository, the java executable, the classpath, and the JVM flags of every child.
 *
 * @param root          repository root.
 * @param classpath     the perf module's runtime classpath.
 * @param benchJvmFlags heap flags for every benchmark JVM (documented in the report).
 */
record BenchEnvironment(Path root, String classpath, List<String> benchJvmFlags)
{
    /**
     * Heap flags of every benchmark JVM: a fixed heap with a large young generation, so steady state sees no GC,
     * touched at start as a service's is ({@code ops/systemd/jvm.options}): a first touch of a huge page costs the
     * allocating thread 3-4 ms on the machines measured (docs/jeromq-tail.md, "First touches of the heap").
     */
    static final List<String> DEFAULT_BENCH_FLAGS = List.of("-Xms1g", "-Xmx1g", "-Xmn600m", "-XX:+AlwaysPreTouch");

    String java()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    Path jvmOptions()
    {
        return root.resolve("config/jvm.options");
    }

    /**
     * A libzmq C baseline program, built by {@code scripts/bench} (gcc against libzmq3-dev).
     */
    Path nativeProgram(final String name)
    {
        return root.resolve("perf/target/native").resolve(name);
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
