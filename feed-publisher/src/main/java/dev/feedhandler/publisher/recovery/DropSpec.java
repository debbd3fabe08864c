package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.wire.WireFormat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Which data batches the test hook {@code --drop-batches} keeps off the socket (they are still recorded in the
 * recovery window and the journal, so subscribers see a loss that can be recovered). A comma-separated list of:
 * <ul>
 *     <li>{@code TOPIC:SEQ}: the batch of TOPIC that carries sequence number SEQ;</li>
 *     <li>{@code TOPIC:FROM-TO}: every batch of TOPIC that carries any of FROM to TO;</li>
 *     <li>{@code every:N}: every Nth data batch of the session, all topics counted together;</li>
 *     <li>{@code random:P%}: each data batch with probability P percent, independently of every other publisher
 *     (seeded from the clock; {@code random:P%@SEED} repeats a run): two lines of a feed dropping
 *     {@code random:1%} each lose different batches, as independent network paths would.</li>
 *     <li>{@code end}: the session's end, every topic's end-of-session heartbeat and the status that says the session
 *     ended (the recovery service still knows it: a subscriber that hears the end from no one else asks it).</li>
 * </ul>
 * Other heartbeats and session statuses are never dropped. Off by default; for tests and measurements only.
 */
public final class DropSpec
{
    /** Drops nothing. */
    public static final DropSpec NONE = new DropSpec(new byte[0][], new long[0], new long[0], 0, 0, 0, false, "");

    private static final String EXPECTED = "expected TOPIC:SEQ, TOPIC:FROM-TO, every:N, random:P% or end";

    private final byte[][] topics;
    private final long[] fromSequences;
    private final long[] toSequences;
    private final long everyNth;
    private final long randomThreshold;
    private final SplittableRandom random;
    private final boolean end;
    private final String text;

    private DropSpec(final byte[][] topics, final long[] fromSequences, final long[] toSequences,
        final long everyNth, final double randomFraction, final long seed, final boolean end, final String text)
    {
        this.end = end;
        this.topics = topics;
        this.fromSequences = fromSequences;
        this.toSequences = toSequences;
        this.everyNth = everyNth;
        this.randomThreshold = (long)(randomFraction * (1L << 53));
        this.random = randomFraction > 0 ? new SplittableRandom(seed) : null;
        this.text = text;
    }

    /**
     * Parses a specification.
     *
     * @param spec such as {@code EURUSD:17,GBPUSD:100-200} or {@code every:50}.
     * @return the specification.
     * @throws IllegalArgumentException with a one-line message naming the bad item.
     */
    public static DropSpec parse(final String spec)
    {
        if (spec == null || spec.isBlank())
        {
            return NONE;
        }
        final List<byte[]> topics = new ArrayList<>();
        final List<long[]> ranges = new ArrayList<>();
        long every = 0;
        double fraction = 0;
        long seed = System.nanoTime() ^ ProcessHandle.current().pid() << 32;
        boolean end = false;
        for (final String raw : spec.split(","))
        {
            final String item = raw.trim();
            if ("end".equals(item.toLowerCase(Locale.ROOT)))
            {
                end = true;
                continue;
            }
            final int colon = item.lastIndexOf(':');
            if (colon <= 0 || colon == item.length() - 1)
            {
                throw bad(item, EXPECTED);
            }
            final String name = item.substring(0, colon);
            final String value = item.substring(colon + 1);
            if ("every".equals(name.toLowerCase(Locale.ROOT)))
            {
                every = positive(item, value);
                continue;
            }
            if ("random".equals(name.toLowerCase(Locale.ROOT)))
            {
                final int at = value.indexOf('@');
                fraction = percent(item, at < 0 ? value : value.substring(0, at));
                if (at >= 0)
                {
                    seed = number(item, value.substring(at + 1));
                }
                continue;
            }
            if (!WireFormat.isValidSymbol(name))
            {
                throw bad(item, "'" + name + "' is not a topic");
            }
            final int dash = value.indexOf('-');
            final long from = positive(item, dash < 0 ? value : value.substring(0, dash));
            final long to = dash < 0 ? from : positive(item, value.substring(dash + 1));
            if (to < from)
            {
                throw bad(item, "the range ends before it starts");
            }
            topics.add(name.getBytes(StandardCharsets.US_ASCII));
            ranges.add(new long[] {from, to});
        }
        final long[] froms = new long[ranges.size()];
        final long[] tos = new long[ranges.size()];
        for (int i = 0; i < froms.length; i++)
        {
            froms[i] = ranges.get(i)[0];
            tos[i] = ranges.get(i)[1];
        }
        return new DropSpec(topics.toArray(new byte[0][]), froms, tos, every, fraction, seed, end, spec.trim());
    }

    private static double percent(final String item, final String text)
    {
        if (!text.endsWith("%"))
        {
            throw bad(item, "'" + text + "' is not a percentage such as 1%");
        }
        try
        {
            final double value = Double.parseDouble(text.substring(0, text.length() - 1).trim());
            if (!(value > 0 && value <= 100))
            {
                throw bad(item, "the percentage must be above 0 and at most 100");
            }
            return value / 100;
        }
        catch (final NumberFormatException ex)
        {
            throw bad(item, "'" + text + "' is not a percentage such as 1%");
        }
    }

    private static long number(final String item, final String text)
    {
        try
        {
            return Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw bad(item, "'" + text + "' is not a seed (a number)");
        }
    }

    private static long positive(final String item, final String number)
    {
        try
        {
            final long value = Long.parseLong(number.trim());
            if (value < 1)
            {
                throw bad(item, "numbers start at 1");
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw bad(item, "'" + number + "' is not a number");
        }
    }

    private static IllegalArgumentException bad(final String item, final String why)
    {
        return new IllegalArgumentException("--drop-batches: bad item '" + item + "': " + why);
    }

    /**
     * Whether this drops anything at all.
     *
     * @return false for {@link #NONE}.
     */
    public boolean isActive()
    {
        return everyNth > 0 || topics.length > 0 || random != null || end;
    }

    /**
     * Whether the session's end (end-of-session heartbeats, the ended status) is kept off the socket.
     *
     * @return true for {@code end}.
     */
    public boolean dropsEnd()
    {
        return end;
    }

    /**
     * Whether a data batch is dropped (each call draws the next random number of {@code random:P%}). Publisher
     * thread only; allocation-free.
     *
     * @param topic         frame 0.
     * @param firstSequence the batch's first sequence number.
     * @param count         its updates.
     * @param batchNumber   1 for the session's first data batch, 2 for the next, ...
     * @return true to keep it off the socket.
     */
    public boolean drops(final byte[] topic, final long firstSequence, final int count, final long batchNumber)
    {
        if (everyNth > 0 && batchNumber % everyNth == 0)
        {
            return true;
        }
        if (random != null && (random.nextLong() >>> 11) < randomThreshold)
        {
            return true;
        }
        final long last = firstSequence + count - 1;
        for (int i = 0; i < topics.length; i++)
        {
            if (firstSequence <= toSequences[i] && last >= fromSequences[i] && Arrays.equals(topics[i], topic))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The specification as given.
     *
     * @return the text.
     */
    @Override
    public String toString()
    {
        return text;
    }
}
