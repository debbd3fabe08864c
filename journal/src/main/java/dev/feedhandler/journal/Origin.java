package dev.feedhandler.journal;

/**
 * Who wrote a journal entry.
 */
public enum Origin
{
    /** Written by a publisher: a frame it sent. */
    SENT(1),
    /** Written by a subscriber ({@code feed subscribe --record}): a frame it received. */
    RECEIVED(2),
    /** A code this version does not know. */
    UNKNOWN(0);

    private final int code;

    Origin(final int code)
    {
        this.code = code;
    }

    /**
     * The byte stored in an entry.
     *
     * @return the code.
     */
    public int code()
    {
        return code;
    }

    /**
     * The origin of a stored code.
     *
     * @param code the byte.
     * @return the origin, {@link #UNKNOWN} for a code this version does not know.
     */
    public static Origin of(final int code)
    {
        switch (code)
        {
            case 1:
                return SENT;
            case 2:
                return RECEIVED;
            default:
                return UNKNOWN;
        }
    }
}
