package dev.feedhandler.perf;

import dev.feedhandler.cli.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One JVM the harness starts: the project's JVM flags, the benchmark's heap flags, the perf classpath, a main class,
 * stdout and stderr into files of the run's directory.
 */
final class ChildProcess implements AutoCloseable
{
    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildProcess(final String name, final Process process, final Path stdout, final Path stderr)
    {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static ChildProcess start(
        final BenchEnvironment environment,
        final Path directory,
        final String name,
        final List<String> jvmFlags,
        final String mainClass,
        final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(environment.java());
        command.add("@" + environment.jvmOptions());
        command.addAll(environment.benchJvmFlags());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(environment.classpath());
        command.add(mainClass);
        command.addAll(args);
        return start(directory, name, command);
    }

    /**
     * A native program (the libzmq C baselines), stdout and stderr into files of the run's directory.
     */
    static ChildProcess startNative(final Path directory, final String name, final Path program,
        final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(args);
        return start(directory, name, command);
    }

    private static ChildProcess start(final Path directory, final String name, final List<String> command)
    {
        final Path out = directory.resolve(name + ".out");
        final Path err = directory.resolve(name + ".err");
        try
        {
            Files.writeString(directory.resolve(name + ".cmd"), String.join(" ", command) + "\n");
            final Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
            return new ChildProcess(name, process, out, err);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot start " + name + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Waits for the process to end; kills it after the timeout.
     *
     * @return true if it ended by itself with status 0.
     */
    boolean waitFor(final long seconds) throws InterruptedException
    {
        if (!process.waitFor(seconds, TimeUnit.SECONDS))
        {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
            return false;
        }
        return process.exitValue() == 0;
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    long pid()
    {
        return process.pid();
    }

    /**
     * The JSON summary on the last line of stdout, or an empty map with the reason.
     */
    Map<String, Object> summary()
    {
        return summaryOf(name, stdout, stderr);
    }

    /**
     * The JSON summary on the last line of a process's stdout file, or an empty map with the reason.
     */
    static Map<String, Object> summaryOf(final String name, final Path stdout, final Path stderr)
    {
        try
        {
            final List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--)
            {
                final String line = lines.get(i).trim();
                if (line.startsWith("{"))
                {
                    return Json.parseObject(line);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return Map.of("error", name + ": " + ex.getMessage());
        }
        return Map.of("error", name + ": no summary (see " + stderr + ")");
    }

    String name()
    {
        return name;
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
