package dev.feedhandler.perf.baseline;

import org.agrona.concurrent.IdleStrategy;

/**
 * The publishing loop every baseline shares: hand out updates as they fall due at a fixed offered rate (or flat
 * out), each with its intended time, idling between them like the feed's publisher does.
 */
final class PacedLoop
{
    /** Sends updates. */
    interface Sender
    {
        /**
         * Sends the updates starting at {@code index}.
         *
         * @param index      index of the first update.
         * @param intendedNs {@link System#nanoTime()} at which it was due.
         * @param nowNs      {@link System#nanoTime()} now.
         * @return updates sent, 0 if it cannot send now (back-pressure).
         */
        int send(long index, long intendedNs, long nowNs);
    }

    private PacedLoop()
    {
    }

    /**
     * Says on stderr that the paced loop ended: the harness's marker for the end of the measured window.
     */
    static void endOfSending(final long sent)
    {
        System.err.println("sending ended after " + sent + " updates");
        System.err.flush();
    }

    /**
     * Runs for a duration.
     *
     * @param ratePerSecond  offered rate, {@code Long.MAX_VALUE} for flat out.
     * @param durationNs     how long.
     * @param updatesPerSend updates one send carries.
     * @param idle           what to do when nothing is due.
     * @param sender         sends.
     * @return updates sent.
     */
    static long run(final long ratePerSecond, final long durationNs, final int updatesPerSend,
        final IdleStrategy idle, final Sender sender)
    {
        final long startNs = System.nanoTime();
        final Pacer pacer = new Pacer(ratePerSecond, startNs);
        long sent = 0;
        long nowNs = startNs;
        while (nowNs - startNs < durationNs)
        {
            final long due = pacer.due(nowNs, sent, 1024L * updatesPerSend);
            int work = 0;
            while (sent + updatesPerSend <= due)
            {
                final int count = sender.send(sent, pacer.intendedNs(sent, nowNs), nowNs);
                if (count == 0)
                {
                    break;
                }
                sent += count;
                work++;
            }
            idle.idle(work);
            nowNs = System.nanoTime();
        }
        endOfSending(sent);
        return sent;
    }
}
