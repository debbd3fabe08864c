package dev.feedhandler.perf.baseline;

import dev.feedhandler.cli.options.Durations;
import dev.feedhandler.cli.options.Rates;

import java.util.HashMap;
import java.util.Map;

/**
 * The few {@code --name value} arguments of the baseline programs (benchmark tools, not user commands).
 */
final class BaselineArgs
{
    private final Map<String, String> values = new HashMap<>();

    BaselineArgs(final String[] args)
    {
        for (int i = 0; i < args.length; i++)
        {
            if (!args[i].startsWith("--"))
            {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            final String name = args[i].substring(2);
            final boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            values.put(name, flag ? "true" : args[++i]);
        }
    }

    String string(final String name, final String defaultValue)
    {
        return values.getOrDefault(name, defaultValue);
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
