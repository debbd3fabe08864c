package dev.feedhandler.subscriber.receive;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

import java.util.List;

/**
 * Aeron Archive's ReplayMerge for the whole subscription: while every topic the subscriber knows is catching up, its
 * live frames are let go as they arrive (the streams bring those updates), yet reading them costs the I/O threads of
 * both processes and the receiver, and keeps the feed's queue full, so that PUB drops more of it, also for topics
 * that merge meanwhile. So the topic subscriptions are dropped for that time (the control topic and the hello stay:
 * liveness and the session's status go on) and made again once a stream is near its topic's newest update (a page
 * smaller than {@link #NEAR_HEAD_PAGE_BYTES}) or a topic stops catching up; live frames then arrive close to the
 * streams, which merge as before. Once per spell: after a resume, the subscriptions stay until some topic is live.
 * Receiver thread only; a subscription change is a cold-path message to the publisher.
 */
final class LivePause
{
    /** A stream page smaller than this is near the topic's newest update (a full page is about 256 KiB). */
    static final int NEAR_HEAD_PAGE_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(LivePause.class);

    private final List<String> topics;
    private boolean paused;
    private boolean armed = true;

    /**
     * @param topics the topic prefixes the socket subscribes to.
     */
    LivePause(final List<String> topics)
    {
        this.topics = topics;
    }

    /**
     * Pauses or resumes the live feed as the topics' catching up and the streams' pages say. Call it after handling
     * what came from the recovery client.
     *
     * @param socket     the SUB socket.
     * @param everything whether every topic seen is catching up.
     * @param nearHead   whether a stream page near its topic's newest update came since the last pause.
     * @return true if it just paused: the caller starts watching for pages near the head afresh.
     */
    boolean check(final ZMQ.Socket socket, final boolean everything, final boolean nearHead)
    {
        if (paused)
        {
            if (!everything || nearHead)
            {
                for (final String topic : topics)
                {
                    socket.subscribe(topic);
                }
                paused = false;
                LOG.info("live feed resumed: {}", everything ? "the streams are near the newest updates" :
                    "a topic merged into the live feed");
            }
            return false;
        }
        if (!everything)
        {
            armed = true;
            return false;
        }
        if (!armed)
        {
            return false;
        }
        for (final String topic : topics)
        {
            socket.unsubscribe(topic);
        }
        paused = true;
        armed = false;
        LOG.info("live feed paused while every topic catches up from the recovery service");
        return true;
    }

    /**
     * Whether the topic subscriptions are dropped now.
     *
     * @return true while paused.
     */
    boolean paused()
    {
        return paused;
    }

    /**
     * A new socket subscribes to every topic: not paused.
     */
    void reset()
    {
        paused = false;
        armed = true;
    }
}
