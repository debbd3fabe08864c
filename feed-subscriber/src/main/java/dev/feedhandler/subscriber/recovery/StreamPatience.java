package dev.feedhandler.subscriber.recovery;

/**
 * How patient the recovery client is with a catch-up stream that owes the service's answer (it has credit) and has
 * heard nothing for a timeout. Silence alone does not mean the service is gone: a service starved of CPU sends
 * pages late, and replacing the socket then (Lazy Pirate) would drop the pages already on their way and start the
 * work over. So the rule follows evidence of progress, the last reply that came on the current socket (for any
 * request or stream: a page, a keep-alive, a notice):
 * <ul>
 *     <li>the socket heard something within the patience ({@code timeout × (retries + 1)}): the service is slow, not
 *     gone; the stream {@link #WAIT waits} longer, twice as long after each silence, up to the patience;</li>
 *     <li>it has waited so {@code retries + 1} times while the socket went on hearing from the service: only this
 *     stream seems lost, it is {@link #REOPEN asked for again} on the same socket (the others keep their pages);</li>
 *     <li>the socket heard nothing for the whole patience, or nothing since it was opened: Lazy Pirate,
 *     {@link #RECONNECT} (a new socket, everything asked again, an attempt counted toward giving up).</li>
 * </ul>
 * A socket that heard nothing is replaced only when there is no better evidence either. While the publisher's feed
 * is live (its heartbeats arrive: the process runs) and the socket's connection to the service completed its
 * greeting and has not been lost since the request went out (the request is there), the service is
 * {@link #slow slow, not gone}: starved of CPU by other processes, or busy with other subscribers. Replacing the
 * socket then throws away the work it has started and asks it again; giving up reports updates unrecoverable that
 * the service still holds. So such a request waits, twice as long after each silence up to the patience, and
 * counts toward the retries only once it has been owed for longer than the slow limit ({@code --recovery-patience},
 * 30 s by default).
 * <p>
 * Pure: the times are given, so the rule is tested with a clock of the test's own.
 */
final class StreamPatience
{
    /** Wait longer on the same socket: the service answered recently. */
    static final int WAIT = 0;
    /** Ask for this stream again on the same socket. */
    static final int REOPEN = 1;
    /** Replace the socket and ask everything again (Lazy Pirate). */
    static final int RECONNECT = 2;
    /** No reply has come on the current socket. */
    static final long NEVER = Long.MIN_VALUE;

    private final long timeoutNs;
    private final long patienceNs;
    private final int maxWaits;
    private final long slowLimitNs;

    /**
     * A rule.
     *
     * @param timeoutNs how long a reply may take before a request counts as late.
     * @param retries   how many times a request is asked again before it is given up.
     */
    StreamPatience(final long timeoutNs, final int retries)
    {
        this(timeoutNs, retries, 0);
    }

    /**
     * A rule with a slow limit.
     *
     * @param timeoutNs   how long a reply may take before a request counts as late.
     * @param retries     how many times a request is asked again before it is given up.
     * @param slowLimitNs how long a request may be owed by a service that is slow, not gone, before its silence
     *                    counts toward the retries; 0 never waits for a slow service.
     */
    StreamPatience(final long timeoutNs, final int retries, final long slowLimitNs)
    {
        this.timeoutNs = timeoutNs;
        this.maxWaits = Math.max(1, retries + 1);
        this.patienceNs = timeoutNs * maxWaits;
        this.slowLimitNs = Math.max(0, slowLimitNs);
    }

    /**
     * Whether a late request that the socket would be replaced for may wait instead: the service is slow, not gone.
     *
     * @param nowNs         the time.
     * @param owedSinceNs   since when the service has owed this request an answer (its last reply to it, or when it
     *                      was first asked).
     * @param publisherLive whether the publisher's feed is live, its heartbeats arriving (liveness on).
     * @param connected     whether the socket's connection to the service completed its greeting and has not been
     *                      lost since the request was sent.
     * @return true if it may wait.
     */
    boolean slow(final long nowNs, final long owedSinceNs, final boolean publisherLive, final boolean connected)
    {
        return publisherLive && connected && nowNs - owedSinceNs < slowLimitNs;
    }

    /**
     * What to do about a late stream.
     *
     * @param nowNs         the time.
     * @param socketHeardNs when the last reply came on the current socket, or {@link #NEVER}.
     * @param waits         how many times the stream has waited since its last reply.
     * @return {@link #WAIT}, {@link #REOPEN} or {@link #RECONNECT}.
     */
    int onLate(final long nowNs, final long socketHeardNs, final int waits)
    {
        if (socketHeardNs == NEVER || nowNs - socketHeardNs >= patienceNs)
        {
            return RECONNECT;
        }
        return waits < maxWaits ? WAIT : REOPEN;
    }

    /**
     * When a stream that waits is late again: the timeout doubled for each wait so far, at most the patience.
     *
     * @param nowNs the time.
     * @param waits how many times it has waited, this one included (at least 1).
     * @return its new deadline.
     */
    long nextDeadline(final long nowNs, final int waits)
    {
        final int doublings = Math.min(Math.max(waits, 1), 20);
        return nowNs + Math.min(patienceNs, timeoutNs << doublings);
    }

    /**
     * Whether the current socket has heard from the service within the patience: a late gap fill is then asked
     * again on it rather than replacing it under the streams' pages in flight.
     *
     * @param nowNs         the time.
     * @param socketHeardNs when the last reply came on the current socket, or {@link #NEVER}.
     * @return true while the socket shows the service alive.
     */
    boolean alive(final long nowNs, final long socketHeardNs)
    {
        return socketHeardNs != NEVER && nowNs - socketHeardNs < patienceNs;
    }
}
