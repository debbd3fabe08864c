package dev.feedhandler.common.socket;

import dev.feedhandler.common.counters.ErrorLog;
import org.slf4j.Logger;

import java.util.HashSet;
import java.util.Set;

/**
 * A socket's failures on the process's one error path ({@link ErrorLog}): each failure is recorded under its distinct
 * description (socket, kind, endpoint, peer host and reason; never the peer's port or the timing, which differ on
 * every retry) and its full line is logged at WARN the first time, at DEBUG after. A peer whose failure repeats is
 * "quiet": its next connections are logged at DEBUG too, until one of them completes its greeting. Called by the
 * {@link SocketEventLog} under its lock.
 */
final class SocketFailures
{
    private static final int MAX_QUIET_PEERS = 1024;
    private static final String REPEATS = " (repeats of this failure are counted, not logged)";

    private final ErrorLog errors;
    private final Logger log;
    private final Set<String> quietPeers = new HashSet<>();

    SocketFailures(final ErrorLog errors, final Logger log)
    {
        this.errors = errors;
        this.log = log;
    }

    ErrorLog errors()
    {
        return errors;
    }

    /**
     * Records a failure and logs its line: at WARN if it is new, at DEBUG if it repeats.
     *
     * @param distinct what makes it this failure.
     * @param line     the full line, with the peer's port and the timing.
     * @return new or repeat.
     */
    ErrorLog.Observation record(final String distinct, final String line)
    {
        final ErrorLog.Observation seen = errors.record(new SocketFailure(distinct));
        if (seen == ErrorLog.Observation.NEW)
        {
            log.warn(line + REPEATS);
        }
        else if (log.isDebugEnabled())
        {
            log.debug(line);
        }
        return seen;
    }

    /**
     * A peer's connection was refused or lost before its greeting: recorded; a repeat makes the peer quiet.
     *
     * @param peer     {@code host:port}.
     * @param distinct what makes it this failure.
     * @param line     the full line.
     */
    void refused(final String peer, final String distinct, final String line)
    {
        if (record(distinct, line) == ErrorLog.Observation.REPEAT && quietPeers.size() < MAX_QUIET_PEERS)
        {
            quietPeers.add(host(peer));
        }
    }

    /**
     * Whether a peer's connections are logged at DEBUG only (its failure repeats).
     *
     * @param peer {@code host:port}.
     * @return true if quiet.
     */
    boolean isQuiet(final String peer)
    {
        return quietPeers.contains(host(peer));
    }

    /**
     * A peer's connection completed its greeting: its connections are logged again.
     *
     * @param peer {@code host:port}.
     */
    void greeted(final String peer)
    {
        quietPeers.remove(host(peer));
    }

    static String host(final String peer)
    {
        final int colon = peer.lastIndexOf(':');
        return colon > 0 ? peer.substring(0, colon) : peer;
    }

    /**
     * A socket failure as the error log keeps it: the distinct description, no stack trace (the same failure from any
     * connection is one error).
     */
    static final class SocketFailure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        SocketFailure(final String description)
        {
            super(description, null, false, false);
        }
    }
}
