package dev.feedhandler.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program of the machine the operations kit is checked with (promtool, prometheus, systemd-analyze): found on the
 * PATH, run with a deadline, its output kept. {@code scripts/test-tools} installs them when they are missing.
 */
final class ExternalTool
{
    private ExternalTool()
    {
    }

    /** What a run printed and how it ended. */
    record Result(int status, String output)
    {
    }

    /**
     * Looks a program up on the PATH (and in /usr/bin and /usr/sbin, which a minimal PATH may leave out).
     *
     * @param name the program.
     * @return its path, or null if it is not installed.
     */
    static Path find(final String name)
    {
        final List<String> directories = new ArrayList<>();
        final String path = System.getenv("PATH");
        if (path != null)
        {
            directories.addAll(Arrays.asList(path.split(File.pathSeparator)));
        }
        directories.add("/usr/bin");
        directories.add("/usr/sbin");
        for (final String directory : directories)
        {
            if (directory.isEmpty())
            {
                continue;
            }
            final Path candidate = Path.of(directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Runs a program to its end, stdout and stderr together.
     *
     * @param directory the working directory.
     * @param seconds   the deadline, after which it is killed and the run fails.
     * @param command   the program and its arguments.
     * @return the exit status and the output.
     */
    static Result run(final Path directory, final long seconds, final String... command)
        throws IOException, InterruptedException
    {
        final Path output = Files.createTempFile("feed-tool", ".out");
        try
        {
            return runInto(directory, seconds, output, command);
        }
        finally
        {
            Files.deleteIfExists(output);
        }
    }

    private static Result runInto(final Path directory, final long seconds, final Path output,
        final String... command)
        throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within " + seconds + " s:\n" +
                Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
