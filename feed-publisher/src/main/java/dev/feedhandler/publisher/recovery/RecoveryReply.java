package dev.feedhandler.publisher.recovery;

import java.util.List;

/**
 * One reply as the recovery service sends it after the client's envelope: the topic frame (the request's topic or
 * prefix, empty if it had none), the response header ({@code RecoveryResponse}) and the page's frames, batches or
 * snapshot entries, in order. {@link RecoveryResponder} fills the same instance for each request (a catch-up
 * stream's pages go to a {@link ReplySink} instead); the arrays are new for each reply, so the socket may keep them.
 */
final class RecoveryReply
{
    byte[] topic;
    byte[] response;
    List<byte[]> frames;
}
