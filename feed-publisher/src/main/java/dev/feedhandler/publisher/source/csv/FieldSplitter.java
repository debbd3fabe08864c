package dev.feedhandler.publisher.source.csv;

/**
 * Splits a line into its fields at the delimiter, the header as any other line: a field may be wrapped in double
 * quotes, and the spaces and tabs around a field are dropped. Nothing is allocated: the fields are start and end
 * indexes into the line's bytes.
 */
final class FieldSplitter
{
    private FieldSplitter()
    {
    }

    /**
     * Splits a line into fields, as the header or any line is split.
     *
     * @param bytes     the buffer.
     * @param start     first index of the line.
     * @param end       index after it.
     * @param delimiter the delimiter.
     * @param starts    receives the field starts; its length is the most fields accepted.
     * @param ends      receives the field ends.
     * @return the number of fields, or -1 if there are more than {@code starts.length}.
     * @throws BadLineException for an unterminated quote or text after a closing quote.
     */
    static int split(
        final byte[] bytes, final int start, final int end, final byte delimiter, final int[] starts, final int[] ends)
    {
        int count = 0;
        int i = start;
        while (true)
        {
            if (count == starts.length)
            {
                return -1;
            }
            while (i < end && (bytes[i] == ' ' || bytes[i] == '\t') && bytes[i] != delimiter)
            {
                i++;
            }
            int fieldStart = i;
            int fieldEnd;
            if (i < end && bytes[i] == '"')
            {
                fieldStart = i + 1;
                int close = fieldStart;
                while (close < end && bytes[close] != '"')
                {
                    close++;
                }
                if (close == end)
                {
                    throw new BadLineException("field " + (count + 1) + " has no closing quote");
                }
                fieldEnd = close;
                i = close + 1;
                while (i < end && (bytes[i] == ' ' || bytes[i] == '\t') && bytes[i] != delimiter)
                {
                    i++;
                }
                if (i < end && bytes[i] != delimiter)
                {
                    throw new BadLineException("field " + (count + 1) + " has text after its closing quote");
                }
            }
            else
            {
                while (i < end && bytes[i] != delimiter)
                {
                    i++;
                }
                fieldEnd = i;
                while (fieldEnd > fieldStart && (bytes[fieldEnd - 1] == ' ' || bytes[fieldEnd - 1] == '\t') &&
                    bytes[fieldEnd - 1] != delimiter)
                {
                    fieldEnd--;
                }
            }
            starts[count] = fieldStart;
            ends[count] = fieldEnd;
            count++;
            if (i >= end)
            {
                return count;
            }
            i++;
        }
    }
}
