package dev.feedhandler.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the report says about the machine: CPU, cores, memory, kernel, JDK.
 */
final class MachineInfo
{
    private MachineInfo()
    {
    }

    static Map<String, String> describe()
    {
        final Map<String, String> info = new LinkedHashMap<>();
        info.put("CPU", cpuModel());
        info.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        info.put("memory", memory());
        info.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
            System.getProperty("os.arch"));
        info.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return info;
    }

    private static String cpuModel()
    {
        try
        {
            final List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (final String line : lines)
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
        return "unknown";
    }

    private static String memory()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/meminfo")))
            {
                if (line.startsWith("MemTotal"))
                {
                    final long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            return "unknown";
        }
        return "unknown";
    }
}
