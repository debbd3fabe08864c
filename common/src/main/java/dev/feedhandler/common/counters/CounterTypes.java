package dev.feedhandler.common.counters;

/**
 * The type ids of the counters in a counters file (Agrona's counter type id): they group the counters of one part
 * of a process, for {@code feed stat} and for whoever reads the file.
 */
public final class CounterTypes
{
    /** The publisher's session counters. */
    public static final int PUBLISHER = 1;

    /** Updates published on one topic (the key holds the topic id). */
    public static final int PUBLISHER_TOPIC = 2;

    /** The subscriber's counters. */
    public static final int SUBSCRIBER = 3;

    /** Updates received on one topic (the key holds the topic id). */
    public static final int SUBSCRIBER_TOPIC = 4;

    /** Malformed messages of one kind. */
    public static final int DECODE_ERRORS = 5;

    /** The journal (what a publisher sent or a subscriber received, to Chronicle Queue). */
    public static final int JOURNAL = 6;

    /** The publisher's recovery service. */
    public static final int RECOVERY_SERVICE = 7;

    /** The subscriber's recovery client. */
    public static final int RECOVERY_CLIENT = 8;

    /** Errors handled by one thread's error handler. */
    public static final int ERRORS = 9;

    private CounterTypes()
    {
    }

    /**
     * A short name of a type, for display.
     *
     * @param typeId the type id.
     * @return such as {@code publisher}, or {@code type N} for an unknown one.
     */
    public static String name(final int typeId)
    {
        switch (typeId)
        {
            case PUBLISHER:
                return "publisher";
            case PUBLISHER_TOPIC:
                return "publisher topic";
            case SUBSCRIBER:
                return "subscriber";
            case SUBSCRIBER_TOPIC:
                return "subscriber topic";
            case DECODE_ERRORS:
                return "decode errors";
            case JOURNAL:
                return "journal";
            case RECOVERY_SERVICE:
                return "recovery service";
            case RECOVERY_CLIENT:
                return "recovery client";
            case ERRORS:
                return "errors";
            default:
                return "type " + typeId;
        }
    }
}
