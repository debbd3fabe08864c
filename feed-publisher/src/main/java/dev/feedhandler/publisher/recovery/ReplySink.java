package dev.feedhandler.publisher.recovery;

import java.util.List;

/**
 * Where the {@link RecoveryService} sends replies, and where catch-up streams send their pages and notices when
 * {@link RecoveryResponder#pollStreams} serves them: the ROUTER socket of the service, or a recording in tests. A
 * reply is {@code [topic][response][frames...]} to one client; the sink never waits.
 */
interface ReplySink
{
    /** {@link #reply} result: sent. */
    int SENT = 0;
    /** {@link #reply} result: not sent, the client's queue is full (it may take it later). */
    int FULL = 1;
    /** {@link #reply} result: not sent, the client is gone. */
    int GONE = 2;

    /**
     * Sends a reply without waiting.
     *
     * @param client   who asked.
     * @param topic    frame 0, the request's topic or prefix.
     * @param response the {@code RecoveryResponse} frame.
     * @param frames   the frames that follow it.
     * @return {@link #SENT}, {@link #FULL} or {@link #GONE}.
     */
    int reply(Peer client, byte[] topic, byte[] response, List<byte[]> frames);
}
