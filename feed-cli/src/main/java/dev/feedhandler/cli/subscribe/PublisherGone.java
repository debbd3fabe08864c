package dev.feedhandler.cli.subscribe;

import dev.feedhandler.cli.options.Durations;
import dev.feedhandler.common.socket.SocketEventLog;
import dev.feedhandler.subscriber.FeedState;
import dev.feedhandler.subscriber.FeedSubscriber;
import dev.feedhandler.subscriber.recovery.RecoveryClient;

import java.time.Duration;

/**
 * With {@code --exit-on-end}: whether the publisher has gone without ending its session, so that its end will never
 * come (a SIGKILLed publisher that is not restarted). It is gone when the feed has been stale for
 * {@code --publisher-gone-after} (counted from the moment it went stale, three heartbeat intervals after its last
 * message), no connection to the feed's publisher is open, and the recovery service does not answer (or there is
 * none). A publisher restarted meanwhile makes the feed live again and starts a new session, which the subscriber
 * follows as before. Read on the command's thread.
 */
final class PublisherGone
{
    private final long afterNs;
    private final Duration after;
    private final FeedSubscriber subscriber;
    private final SocketEventLog feed;
    private boolean stale;
    private long staleSinceNs;

    /**
     * @param after      how long the feed must have been stale, or zero (or null) for never.
     * @param subscriber the subscriber.
     * @param feed       the feed socket's event log (its open connections).
     */
    PublisherGone(final Duration after, final FeedSubscriber subscriber, final SocketEventLog feed)
    {
        this.after = after == null ? Duration.ZERO : after;
        this.afterNs = this.after.toNanos();
        this.subscriber = subscriber;
        this.feed = feed;
    }

    /**
     * Looks at the subscriber now.
     *
     * @param nowNs {@link System#nanoTime()}.
     * @return true if the publisher is gone.
     */
    boolean check(final long nowNs)
    {
        if (afterNs <= 0 || subscriber.feedState() != FeedState.STALE)
        {
            stale = false;
            return false;
        }
        if (!stale)
        {
            stale = true;
            staleSinceNs = nowNs;
        }
        final RecoveryClient recovery = subscriber.recoveryClient();
        return nowNs - staleSinceNs >= afterNs && feed.peers() == 0 &&
            (recovery == null || !recovery.serviceConnected());
    }

    /**
     * The one-line error of a run that stopped for it.
     *
     * @return the message.
     */
    String message()
    {
        return "the publisher went away without ending its session: the feed stale for " + Durations.format(after) +
            ", no connection to the publisher" + (subscriber.recoveryClient() == null ? "" :
            " and its recovery service not answering") + "; whatever it sent after the last update delivered is " +
            "unknown (--publisher-gone-after)";
    }
}
