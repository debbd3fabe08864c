package dev.feedhandler.perf.baseline;

import dev.feedhandler.cli.options.Durations;
import dev.feedhandler.cli.options.Rates;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;

/**
 * The {@code --name value} arguments of the baseline programs (benchmark tools, not user commands), parsed by
 * picocli. The programs share one set of names, since the harness hands the same extra arguments to the publisher
 * and the subscriber of a pair; each program asks for the values it uses, with its own default.
 */
final class BaselineArgs
{
    /** Options that take a value. */
    private static final List<String> VALUED = List.of("role", "rate", "duration", "warmup", "hgrm", "hlog", "idle",
        "endpoint", "start-delay", "batch", "instruments", "batch-max-updates", "backpressure", "channel",
        "aeron-dir", "ready-file", "sndhwm", "rcvhwm", "sndbuf", "rcvbuf", "io-threads", "heartbeat-ms", "allocator",
        "recv");

    /** Flags: present alone means true, or followed by true or false. */
    private static final List<String> FLAGS = List.of("block");

    private final CommandLine.ParseResult parsed;

    BaselineArgs(final String[] args)
    {
        final CommandSpec spec = CommandSpec.create();
        for (final String name : VALUED)
        {
            spec.addOption(OptionSpec.builder("--" + name).type(String.class).arity("1").build());
        }
        for (final String name : FLAGS)
        {
            spec.addOption(OptionSpec.builder("--" + name).type(String.class).arity("0..1").fallbackValue("true")
                .build());
        }
        try
        {
            parsed = new CommandLine(spec).parseArgs(args);
        }
        catch (final CommandLine.ParameterException ex)
        {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
    }

    String string(final String name, final String defaultValue)
    {
        return parsed.matchedOptionValue("--" + name, defaultValue);
    }

    long rate(final String name, final String defaultValue)
    {
        return Rates.parse(string(name, defaultValue));
    }

    long nanos(final String name, final String defaultValue)
    {
        return Durations.parse(string(name, defaultValue)).toNanos();
    }

    int integer(final String name, final int defaultValue)
    {
        return Integer.parseInt(string(name, Integer.toString(defaultValue)));
    }
}
