package dev.feedhandler.subscriber.recovery;

import dev.feedhandler.subscriber.sequence.RecoveryRequests;
import org.agrona.concurrent.UnsafeBuffer;

import org.zeromq.ZMQ;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages between the receiver thread and the recovery client's thread, over an inproc PAIR socket. Internal
 * to the subscriber (never on a network): the first frame is a small little-endian header, the frames after it are
 * topics, prefixes, and frames of the recovery protocol passed on unchanged.
 * <pre>
 *   receiver to client:
 *     GAP_FILL     [type, task, epoch, from, to][topic]         fill from..to of the topic's session epoch
 *     CATCH_UP     [type, task, epoch, from][topic]             stream the topic from `from` on until cancelled
 *     SNAPSHOT     [type, task][prefix]...                      the last values of every topic of the prefixes
 *     CANCEL       [type, task]                                 forget the task (not wanted any more)
 *     ACK          [type, task]                                 a page was handled: the client may ask for more
 *     STREAM_ACK   [type, task]                                 a catch-up page was handled: one more page of credit
 *     RELEASE      [type]                                       the session ended, nothing is being recovered
 *   client to receiver:
 *     PAGE         [type, task][topic][batch]...                recovered batches, in sequence order
 *     STREAM_PAGE  [type, task][topic][page]                    a catch-up page: | int32 length | batch | ...
 *     UNAVAILABLE  [type, task, 0, from, to]                    the service no longer has from..to of the task
 *     ENTRIES      [type, task]([topic][SnapshotEntry])...      snapshot entries
 *     DONE         [type, task, outcome]                        the task is over
 *   header: 0 int8 type | 1 int64 task | 9 int64 epoch or outcome | 17 int64 from | 25 int64 to
 * </pre>
 */
public final class RecoveryLink
{
    /** Receiver to client: fill a gap. */
    public static final byte GAP_FILL = 1;
    /** Receiver to client: fetch a snapshot. */
    public static final byte SNAPSHOT = 2;
    /** Receiver to client: forget a task. */
    public static final byte CANCEL = 3;
    /** Receiver to client: a page was handled. */
    public static final byte ACK = 4;
    /** Client to receiver: recovered batches. */
    public static final byte PAGE = 5;
    /** Client to receiver: snapshot entries. */
    public static final byte ENTRIES = 6;
    /** Client to receiver: the task is over. */
    public static final byte DONE = 7;
    /** Receiver to client: stream a topic (catch-up). */
    public static final byte CATCH_UP = 8;
    /** Client to receiver: a catch-up page, batches packed as on the wire. */
    public static final byte STREAM_PAGE = 9;
    /** Client to receiver: a range the service no longer has. */
    public static final byte UNAVAILABLE = 10;
    /** Receiver to client: a catch-up page was handled. */
    public static final byte STREAM_ACK = 11;
    /**
     * Receiver to client: the session ended and nothing is being recovered; the client lets go of the service's
     * connection (so a publisher that lingers for connected subscribers may stop) until it is asked again.
     */
    public static final byte RELEASE = 12;

    /** {@link #DONE} outcome: the service answered to the end (what was not delivered, it does not have). */
    public static final long ANSWERED = RecoveryRequests.ANSWERED;
    /** {@link #DONE} outcome: no answer after every retry. */
    public static final long NO_ANSWER = RecoveryRequests.NO_ANSWER;
    /** {@link #DONE} outcome: the service refused the request (wrong epoch, malformed). */
    public static final long REFUSED = RecoveryRequests.REFUSED;
    /** {@link #DONE} outcome: the receiver cancelled the task. */
    public static final long CANCELLED = RecoveryRequests.CANCELLED;

    /** Length of a header. */
    public static final int HEADER_LENGTH = 33;

    private static final int TYPE_OFFSET = 0;
    private static final int TASK_OFFSET = 1;
    private static final int EPOCH_OFFSET = 9;
    private static final int FROM_OFFSET = 17;
    private static final int TO_OFFSET = 25;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);

    /**
     * A new header (cold path: each message owns its array, which the socket keeps until sent).
     *
     * @param type  the message type.
     * @param task  the task id.
     * @param epoch the epoch, or the outcome of a {@link #DONE}.
     * @param from  first sequence, or 0.
     * @param to    last sequence, or 0.
     * @return the header frame.
     */
    public static byte[] header(final byte type, final long task, final long epoch, final long from, final long to)
    {
        final byte[] frame = new byte[HEADER_LENGTH];
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        view.putByte(TYPE_OFFSET, type);
        view.putLong(TASK_OFFSET, task, ORDER);
        view.putLong(EPOCH_OFFSET, epoch, ORDER);
        view.putLong(FROM_OFFSET, from, ORDER);
        view.putLong(TO_OFFSET, to, ORDER);
        return frame;
    }

    /**
     * Reads a header.
     *
     * @param frame the first frame of a message.
     * @return this, or null if it is not a header.
     */
    public RecoveryLink wrap(final byte[] frame)
    {
        if (frame == null || frame.length != HEADER_LENGTH)
        {
            return null;
        }
        buffer.wrap(frame);
        return this;
    }

    /**
     * The message type.
     *
     * @return the type.
     */
    public byte type()
    {
        return buffer.getByte(TYPE_OFFSET);
    }

    /**
     * The task id.
     *
     * @return the id.
     */
    public long task()
    {
        return buffer.getLong(TASK_OFFSET, ORDER);
    }

    /**
     * The session epoch ({@link #GAP_FILL}) or the outcome ({@link #DONE}).
     *
     * @return the value.
     */
    public long epoch()
    {
        return buffer.getLong(EPOCH_OFFSET, ORDER);
    }

    /**
     * First sequence of a {@link #GAP_FILL}.
     *
     * @return the sequence number.
     */
    public long from()
    {
        return buffer.getLong(FROM_OFFSET, ORDER);
    }

    /**
     * Last sequence of a {@link #GAP_FILL}.
     *
     * @return the sequence number.
     */
    public long to()
    {
        return buffer.getLong(TO_OFFSET, ORDER);
    }

    /**
     * The frames after the one just received, if it said more follow.
     *
     * @param socket the socket.
     * @return the rest of the message, perhaps empty.
     */
    public static List<byte[]> rest(final ZMQ.Socket socket)
    {
        final List<byte[]> frames = new ArrayList<>();
        while (socket.hasReceiveMore())
        {
            frames.add(socket.recv(0));
        }
        return frames;
    }
}
