package dev.feedhandler.cli.options;

/**
 * Checks {@code --bootstrap-servers} before any Kafka client is made: a malformed list would otherwise be retried
 * every second forever as if the cluster were only away.
 */
public final class BootstrapServers
{
    private BootstrapServers()
    {
    }

    /**
     * Checks a list of {@code HOST:PORT}, comma separated.
     *
     * @param servers the flag's value.
     * @return the value.
     * @throws CliException (usage) with one line naming the bad entry.
     */
    public static String check(final String servers)
    {
        if (servers == null || servers.isBlank())
        {
            throw new CliException(CliException.USAGE, "--bootstrap-servers must be HOST:PORT[,HOST:PORT...]");
        }
        for (final String entry : servers.split(",", -1))
        {
            final String server = entry.trim();
            final int colon = server.lastIndexOf(':');
            final String host = colon > 0 ? server.substring(0, colon) : "";
            final String port = colon > 0 ? server.substring(colon + 1) : "";
            if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace) || !validPort(port) ||
                (host.indexOf(':') >= 0 && !host.startsWith("[") && host.chars().filter(c -> c == ':').count() < 2))
            {
                throw new CliException(CliException.USAGE, "--bootstrap-servers must be HOST:PORT[,HOST:PORT...], " +
                    "was '" + servers + "' ('" + server + "' is not HOST:PORT with a port from 1 to 65535)");
            }
        }
        return servers;
    }

    private static boolean validPort(final String port)
    {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit))
        {
            return false;
        }
        final int value = Integer.parseInt(port);
        return value >= 1 && value <= 65535;
    }
}
