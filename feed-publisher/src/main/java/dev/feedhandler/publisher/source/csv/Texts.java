package dev.feedhandler.publisher.source.csv;

/**
 * Quoting of file content in one-line messages (cold path): whatever a line holds, the message stays one
 * printable line of bounded length.
 */
final class Texts
{
    /** Longest quoted value in a message. */
    static final int MAX_QUOTED = 40;

    private Texts()
    {
    }

    /**
     * Bytes of a line as printable text.
     *
     * @param bytes the buffer.
     * @param start first index.
     * @param end   index after the last.
     * @return the text, non-printable bytes as {@code ?}, cut to {@link #MAX_QUOTED} characters with {@code ...}.
     */
    static String printable(final byte[] bytes, final int start, final int end)
    {
        final int length = Math.min(end - start, MAX_QUOTED);
        final StringBuilder out = new StringBuilder(length + 3);
        for (int i = start; i < start + length; i++)
        {
            final int b = bytes[i] & 0xFF;
            out.append(b >= ' ' && b <= '~' ? (char)b : '?');
        }
        if (end - start > MAX_QUOTED)
        {
            out.append("...");
        }
        return out.toString();
    }

    /**
     * A string as printable text.
     *
     * @param text the text.
     * @return the text, non-printable characters as {@code ?}, cut as {@link #printable(byte[], int, int)} does.
     */
    static String printable(final String text)
    {
        final int length = Math.min(text.length(), MAX_QUOTED);
        final StringBuilder out = new StringBuilder(length + 3);
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            out.append(c >= ' ' && c <= '~' ? c : '?');
        }
        if (text.length() > MAX_QUOTED)
        {
            out.append("...");
        }
        return out.toString();
    }
}
