package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.testing.TestSeeds;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.feedhandler.common.wire.TestFrames.BLOCK_LENGTH;
import static dev.feedhandler.common.wire.TestFrames.SCHEMA_ID;
import static dev.feedhandler.common.wire.TestFrames.TEMPLATE_ID;
import static dev.feedhandler.common.wire.TestFrames.UPDATE_COUNT;
import static dev.feedhandler.common.wire.TestFrames.VERSION;
import static dev.feedhandler.common.wire.TestFrames.putU16;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@link FrameReader} on malformed input: every {@link DecodeError} it can return, on hand-made damage, on random
 * garbage and on random bit flips of valid frames (seeded). It never throws, it classifies exactly as the
 * algorithm of {@code docs/wire-format.md} ({@link ReferenceFrameValidator}) does, and a receive loop that counts
 * errors by kind goes on whatever arrives.
 */
class FrameReaderMalformedInputTest
{
    /** In {@link TestFrames#quoteTradeQuote()}: the first quote's header. */
    private static final int FIRST_QUOTE = WireFormat.BATCH_HEADER_LENGTH;
    /** In {@link TestFrames#quoteTradeQuote()}: the trade's header. */
    private static final int TRADE = FIRST_QUOTE + WireFormat.QUOTE_LENGTH;
    /** In {@link TestFrames#quoteTradeQuote()}: the second quote's header. */
    private static final int SECOND_QUOTE = TRADE + WireFormat.TRADE_LENGTH;

    private static final int RANDOM_FRAMES = 200_000;

    private final FrameReader reader = new FrameReader();
    private final UpdateCursor cursor = new UpdateCursor();

    @Test
    void shouldReportTruncatedAtEveryCutOfAValidFrame()
    {
        final List<byte[]> frames = List.of(
            TestFrames.quoteTradeQuote(),
            TestFrames.heartbeat(false),
            TestFrames.sessionStatus(SessionState.ACTIVE));
        for (final byte[] frame : frames)
        {
            final UnsafeBuffer whole = new UnsafeBuffer(frame);
            for (int cut = 0; cut < frame.length; cut++)
            {
                assertInvalid(Arrays.copyOf(frame, cut), DecodeError.TRUNCATED);
                assertThat(reader.read(whole, 0, cut)).as("cut at %d of a longer buffer", cut)
                    .isEqualTo(FrameKind.INVALID);
                assertThat(reader.error()).as("cut at %d of a longer buffer", cut).isEqualTo(DecodeError.TRUNCATED);
            }
            assertThat(reader.read(whole, 0, frame.length)).isNotEqualTo(FrameKind.INVALID);
        }
    }

    @Test
    void shouldRejectAnotherSchemaIdInAnyHeader()
    {
        for (final int schemaId : new int[] {0, 1, 4241, 4243, 0x9210, 0xFFFF})
        {
            assertInvalid(putU16(TestFrames.quoteTradeQuote(), SCHEMA_ID, schemaId), DecodeError.WRONG_SCHEMA);
            assertInvalid(putU16(TestFrames.quoteTradeQuote(), TRADE + SCHEMA_ID, schemaId), DecodeError.WRONG_SCHEMA);
            assertInvalid(putU16(TestFrames.heartbeat(false), SCHEMA_ID, schemaId), DecodeError.WRONG_SCHEMA);
            assertInvalid(putU16(TestFrames.sessionStatus(SessionState.ENDED), SCHEMA_ID, schemaId),
                DecodeError.WRONG_SCHEMA);
        }
    }

    @Test
    void shouldRejectSchemaVersionZeroInAnyHeader()
    {
        assertInvalid(putU16(TestFrames.quoteTradeQuote(), VERSION, 0), DecodeError.UNSUPPORTED_VERSION);
        assertInvalid(putU16(TestFrames.quoteTradeQuote(), SECOND_QUOTE + VERSION, 0),
            DecodeError.UNSUPPORTED_VERSION);
        assertInvalid(putU16(TestFrames.heartbeat(true), VERSION, 0), DecodeError.UNSUPPORTED_VERSION);
        assertInvalid(putU16(TestFrames.sessionStatus(SessionState.ACTIVE), VERSION, 0),
            DecodeError.UNSUPPORTED_VERSION);
    }

    @Test
    void shouldRejectTemplatesTheSchemaDoesNotDefine()
    {
        for (final int templateId : new int[] {0, 6, 7, 0x100, 0xFFFF})
        {
            assertInvalid(putU16(TestFrames.quoteTradeQuote(), TEMPLATE_ID, templateId), DecodeError.UNKNOWN_TEMPLATE);
            assertInvalid(putU16(TestFrames.quoteTradeQuote(), FIRST_QUOTE + TEMPLATE_ID, templateId),
                DecodeError.UNKNOWN_TEMPLATE);
            assertInvalid(putU16(TestFrames.heartbeat(false), TEMPLATE_ID, templateId), DecodeError.UNKNOWN_TEMPLATE);
        }
    }

    @Test
    void shouldRejectBlockLengthsShorterThanTheFields()
    {
        for (final int shortBy : new int[] {1, 8, 1000})
        {
            assertInvalid(putU16(TestFrames.quoteTradeQuote(), BLOCK_LENGTH, Math.max(0, 32 - shortBy)),
                DecodeError.BAD_BLOCK_LENGTH);
            assertInvalid(putU16(TestFrames.quoteTradeQuote(), FIRST_QUOTE + BLOCK_LENGTH, Math.max(0, 48 - shortBy)),
                DecodeError.BAD_BLOCK_LENGTH);
            assertInvalid(putU16(TestFrames.quoteTradeQuote(), TRADE + BLOCK_LENGTH, Math.max(0, 40 - shortBy)),
                DecodeError.BAD_BLOCK_LENGTH);
            assertInvalid(putU16(TestFrames.heartbeat(false), BLOCK_LENGTH, Math.max(0, 32 - shortBy)),
                DecodeError.BAD_BLOCK_LENGTH);
            assertInvalid(putU16(TestFrames.sessionStatus(SessionState.ENDED), BLOCK_LENGTH, Math.max(0, 40 - shortBy)),
                DecodeError.BAD_BLOCK_LENGTH);
        }
        // A quote relabelled as a trade is long enough; a trade relabelled as a quote is not.
        assertInvalid(putU16(TestFrames.quoteTradeQuote(), TRADE + TEMPLATE_ID, 2), DecodeError.BAD_BLOCK_LENGTH);
    }

    @Test
    void shouldReportTruncatedWhenADeclaredBlockRunsPastTheFrame()
    {
        assertInvalid(putU16(TestFrames.heartbeat(false), BLOCK_LENGTH, 33), DecodeError.TRUNCATED);
        assertInvalid(putU16(TestFrames.sessionStatus(SessionState.ENDED), BLOCK_LENGTH, 0xFFFF),
            DecodeError.TRUNCATED);
        assertInvalid(putU16(TestFrames.quoteTradeQuote(), SECOND_QUOTE + BLOCK_LENGTH, 49), DecodeError.TRUNCATED);
    }

    @Test
    void shouldReportTruncatedWhenTheBatchCountsMoreUpdatesThanItHolds()
    {
        assertInvalid(putU16(TestFrames.quoteTradeQuote(), UPDATE_COUNT, 4), DecodeError.TRUNCATED);
        assertInvalid(putU16(TestFrames.quoteTradeQuote(), UPDATE_COUNT, 0xFFFF), DecodeError.TRUNCATED);
    }

    @Test
    void shouldRejectAnUpdateOutsideABatch()
    {
        final byte[] batch = TestFrames.quoteTradeQuote();
        assertInvalid(Arrays.copyOfRange(batch, FIRST_QUOTE, TRADE), DecodeError.UNEXPECTED_MESSAGE);
        assertInvalid(Arrays.copyOfRange(batch, TRADE, SECOND_QUOTE), DecodeError.UNEXPECTED_MESSAGE);
    }

    @Test
    void shouldRejectAMessageInsideABatchThatIsNotAnUpdate()
    {
        final byte[] oneQuote = putU16(Arrays.copyOf(TestFrames.quoteTradeQuote(), TRADE), UPDATE_COUNT, 1);
        assertThat(reader.read(new UnsafeBuffer(oneQuote), 0, oneQuote.length)).isEqualTo(FrameKind.BATCH);

        final byte[] emptyBatch = putU16(Arrays.copyOf(oneQuote, FIRST_QUOTE), UPDATE_COUNT, 0);
        final byte[][] notUpdates = {
            TestFrames.heartbeat(false), TestFrames.sessionStatus(SessionState.ACTIVE), emptyBatch};
        for (final byte[] notUpdate : notUpdates)
        {
            final byte[] frame = concat(oneQuote, notUpdate);
            putU16(frame, UPDATE_COUNT, 2);
            assertInvalid(frame, DecodeError.UNEXPECTED_MESSAGE);
        }
    }

    @Test
    void shouldRejectBytesAfterTheLastMessage()
    {
        assertInvalid(concat(TestFrames.heartbeat(false), new byte[1]), DecodeError.TRAILING_BYTES);
        assertInvalid(concat(TestFrames.sessionStatus(SessionState.ACTIVE), new byte[8]), DecodeError.TRAILING_BYTES);
        assertInvalid(concat(TestFrames.quoteTradeQuote(), new byte[1]), DecodeError.TRAILING_BYTES);
        assertInvalid(putU16(TestFrames.quoteTradeQuote(), UPDATE_COUNT, 2), DecodeError.TRAILING_BYTES);
        assertInvalid(putU16(TestFrames.quoteTradeQuote(), UPDATE_COUNT, 0), DecodeError.TRAILING_BYTES);
    }

    @Test
    void shouldClearTheErrorOnTheNextValidFrame()
    {
        assertInvalid(new byte[3], DecodeError.TRUNCATED);

        final byte[] valid = TestFrames.heartbeat(true);
        assertThat(reader.read(new UnsafeBuffer(valid), 0, valid.length)).isEqualTo(FrameKind.HEARTBEAT);
        assertThat(reader.error()).isNull();
        assertThat(reader.kind()).isEqualTo(FrameKind.HEARTBEAT);
    }

    @Test
    void shouldClassifyRandomGarbageAsTheDocumentedAlgorithmDoes()
    {
        final long seed = TestSeeds.seed("shouldClassifyRandomGarbageAsTheDocumentedAlgorithmDoes");
        final Random random = new Random(seed);
        final Map<FrameKind, Integer> kinds = new EnumMap<>(FrameKind.class);
        for (int i = 0; i < RANDOM_FRAMES; i++)
        {
            final byte[] frame = random.nextInt(3) == 0 ? randomBytes(random) : plausibleGarbage(random);
            kinds.merge(classifyAsDocumented(frame, seed), 1, Integer::sum);
        }
        System.out.println("garbage: " + kinds);
        assertThat(kinds.get(FrameKind.INVALID)).as("seed %d", seed).isGreaterThan(RANDOM_FRAMES / 2);
    }

    @Test
    void shouldClassifyRandomBitFlipsOfValidFramesAsTheDocumentedAlgorithmDoes()
    {
        final long seed = TestSeeds.seed("shouldClassifyRandomBitFlipsOfValidFramesAsTheDocumentedAlgorithmDoes");
        final Random random = new Random(seed);
        final Map<DecodeError, Integer> errors = new EnumMap<>(DecodeError.class);
        int stillValid = 0;
        for (int i = 0; i < RANDOM_FRAMES; i++)
        {
            final byte[] frame = randomValidFrame(random);
            final List<Integer> headers = headerOffsets(frame);
            final int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++)
            {
                final int index = random.nextBoolean() ?
                    random.nextInt(frame.length) : headers.get(random.nextInt(headers.size())) + random.nextInt(8);
                frame[index] ^= (byte)(1 << random.nextInt(8));
            }
            final FrameKind kind = classifyAsDocumented(frame, seed);
            if (kind == FrameKind.INVALID)
            {
                errors.merge(reader.error(), 1, Integer::sum);
            }
            else
            {
                stillValid++;
            }
        }
        System.out.println("bit flips: still valid " + stillValid + ", rejected " + errors);
        assertThat(stillValid).as("seed %d: flips of timestamps and prices keep a frame valid", seed).isPositive();
        assertThat(errors).as("seed %d", seed).containsKeys(
            DecodeError.TRUNCATED, DecodeError.WRONG_SCHEMA, DecodeError.UNKNOWN_TEMPLATE,
            DecodeError.BAD_BLOCK_LENGTH, DecodeError.TRAILING_BYTES);
    }

    @Test
    void shouldKeepCountingErrorsByKindInAReceiveLoop()
    {
        final long seed = TestSeeds.seed("shouldKeepCountingErrorsByKindInAReceiveLoop");
        final Map<String, byte[]> corpus = new LinkedHashMap<>();
        corpus.put("TRUNCATED", Arrays.copyOf(TestFrames.quoteTradeQuote(), 100));
        corpus.put("WRONG_SCHEMA", putU16(TestFrames.heartbeat(false), SCHEMA_ID, 1));
        corpus.put("UNSUPPORTED_VERSION", putU16(TestFrames.quoteTradeQuote(), TRADE + VERSION, 0));
        corpus.put("UNKNOWN_TEMPLATE", putU16(TestFrames.sessionStatus(SessionState.ACTIVE), TEMPLATE_ID, 9));
        corpus.put("BAD_BLOCK_LENGTH", putU16(TestFrames.quoteTradeQuote(), FIRST_QUOTE + BLOCK_LENGTH, 40));
        corpus.put("UNEXPECTED_MESSAGE", Arrays.copyOfRange(TestFrames.quoteTradeQuote(), TRADE, SECOND_QUOTE));
        corpus.put("TRAILING_BYTES", concat(TestFrames.heartbeat(true), new byte[3]));
        corpus.put("BATCH", TestFrames.quoteTradeQuote());
        corpus.put("HEARTBEAT", TestFrames.heartbeat(false));
        corpus.put("SESSION_STATUS", TestFrames.sessionStatus(SessionState.ENDED));
        final int copies = 1_000;
        final List<byte[]> arrivals = new ArrayList<>();
        for (int i = 0; i < copies; i++)
        {
            arrivals.addAll(corpus.values());
        }
        Collections.shuffle(arrivals, new Random(seed));

        final UnsafeBuffer slot = new UnsafeBuffer(new byte[256]);
        final long[] errorCounts = new long[DecodeError.count()];
        final long[] validCounts = new long[FrameKind.values().length];
        int handled = 0;
        for (final byte[] arrival : arrivals)
        {
            slot.putBytes(0, arrival);
            final FrameKind kind = reader.read(slot, 0, arrival.length);
            if (kind == FrameKind.INVALID)
            {
                errorCounts[reader.error().ordinal()]++;
            }
            else
            {
                validCounts[kind.ordinal()]++;
            }
            handled++;
        }

        assertThat(handled).isEqualTo(arrivals.size());
        for (final String name : corpus.keySet())
        {
            final long count = name.equals("BATCH") || name.equals("HEARTBEAT") || name.equals("SESSION_STATUS") ?
                validCounts[FrameKind.valueOf(name).ordinal()] : errorCounts[DecodeError.valueOf(name).ordinal()];
            assertThat(count).as(name).isEqualTo(copies);
        }
    }

    private void assertInvalid(final byte[] frame, final DecodeError expected)
    {
        final String context = expected + " for " + TestFrames.hex(frame);
        assertThat(ReferenceFrameValidator.classify(frame)).as("documented algorithm, " + context)
            .isEqualTo(ReferenceFrameValidator.Verdict.invalid(expected));
        assertThat(reader.read(new UnsafeBuffer(frame), 0, frame.length)).as(context).isEqualTo(FrameKind.INVALID);
        assertThat(reader.error()).as(context).isEqualTo(expected);
        assertThat(reader.kind()).as(context).isEqualTo(FrameKind.INVALID);
        assertThat(reader.sessionEpoch()).as(context).isZero();
        assertThat(reader.isSessionEnded()).as(context).isFalse();
    }

    /**
     * Reads a frame that may be anything, as a receiver does (then reads every field of a valid one), and checks
     * the verdict against the documented algorithm. Never lets an exception through without the seed and frame.
     */
    private FrameKind classifyAsDocumented(final byte[] frame, final long seed)
    {
        final ReferenceFrameValidator.Verdict expected = ReferenceFrameValidator.classify(frame);
        final FrameKind kind;
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(frame);
            kind = reader.read(buffer, 0, frame.length);
            consume(buffer);
        }
        catch (final RuntimeException ex)
        {
            throw new AssertionError("seed " + seed + ": threw on " + TestFrames.hex(frame), ex);
        }
        if (kind != expected.kind() || reader.error() != expected.error())
        {
            fail("seed %d: read %s/%s, documented %s for %s", seed, kind, reader.error(), expected,
                TestFrames.hex(frame));
        }
        return kind;
    }

    private long consume(final UnsafeBuffer buffer)
    {
        long sum = reader.sessionEpoch() + reader.sendTimestampNs();
        switch (reader.kind())
        {
            case BATCH:
                cursor.wrap(buffer, reader.updatesOffset(), reader.batchHeader().updateCount());
                int template;
                while ((template = cursor.next()) != UpdateCursor.END)
                {
                    if (template == UpdateCursor.QUOTE)
                    {
                        sum += cursor.quote().instrumentId() + cursor.quote().bidPrice().mantissa() +
                            cursor.quote().bidSize() + cursor.quote().askPrice().mantissa() +
                            cursor.quote().askSize() + cursor.quote().sourceTimestampNs();
                    }
                    else
                    {
                        sum += cursor.trade().instrumentId() + cursor.trade().aggressorSideRaw() +
                            cursor.trade().price().mantissa() + cursor.trade().size() + cursor.trade().tradeId() +
                            cursor.trade().sourceTimestampNs();
                    }
                }
                sum += reader.batchHeader().flags().replay() ? 1 : 0;
                break;
            case HEARTBEAT:
                sum += reader.heartbeat().lastSequence() + (reader.heartbeat().flags().endOfSession() ? 1 : 0);
                break;
            case SESSION_STATUS:
                sum += reader.isSessionEnded() ? 1 : 0;
                sum += reader.sessionStatus().publishedUpdates() + reader.sessionStatus().topicCount();
                break;
            case CONFLATED:
                sum += reader.conflated().toSequence() + reader.conflated().quotes() + reader.conflated().trades();
                if (reader.conflatedQuoteOffset() >= 0)
                {
                    sum += reader.conflatedQuote().bidPrice().mantissa() + reader.conflatedQuote().sourceTimestampNs();
                }
                break;
            default:
                sum += reader.isSessionEnded() ? 1 : 0;
                break;
        }
        return sum;
    }

    private static byte[] randomValidFrame(final Random random)
    {
        switch (random.nextInt(5))
        {
            case 4:
                return TestFrames.conflated(random.nextBoolean());
            case 0:
                return TestFrames.randomBatch(random, random.nextInt(6));
            case 1:
                return TestFrames.heartbeat(random.nextBoolean());
            case 2:
                return TestFrames.sessionStatus(random.nextBoolean() ? SessionState.ACTIVE : SessionState.ENDED);
            default:
                return TestFrames.quoteTradeQuote();
        }
    }

    /** Offsets of the message headers of a valid frame. */
    private static List<Integer> headerOffsets(final byte[] frame)
    {
        final List<Integer> offsets = new ArrayList<>();
        int position = 0;
        while (position < frame.length)
        {
            offsets.add(position);
            position += WireFormat.HEADER_LENGTH + TestFrames.u16(frame, position + BLOCK_LENGTH);
        }
        return offsets;
    }

    private static byte[] randomBytes(final Random random)
    {
        final byte[] frame = new byte[random.nextInt(160)];
        random.nextBytes(frame);
        return frame;
    }

    /** Random bytes behind headers that look right, so the deeper checks are reached too. */
    private static byte[] plausibleGarbage(final Random random)
    {
        final int[] minBlockLengths = {0, 32, 48, 40, 32, 40, 16};
        final byte[] frame = new byte[random.nextInt(400)];
        random.nextBytes(frame);
        int position = 0;
        boolean first = true;
        while (position + WireFormat.HEADER_LENGTH <= frame.length && random.nextInt(8) != 0)
        {
            final int template = first ? random.nextInt(7) : 2 + random.nextInt(2);
            final int blockLength = Math.max(0, minBlockLengths[template] + random.nextInt(12) - 2);
            putU16(frame, position + BLOCK_LENGTH, blockLength);
            putU16(frame, position + TEMPLATE_ID, random.nextInt(16) == 0 ? random.nextInt(8) : template);
            putU16(frame, position + SCHEMA_ID, random.nextInt(16) == 0 ? random.nextInt(0x10000) : 4242);
            putU16(frame, position + VERSION, random.nextInt(3));
            if (first && template == 1 && position + UPDATE_COUNT + 2 <= frame.length)
            {
                putU16(frame, UPDATE_COUNT, random.nextInt(6));
            }
            first = false;
            position += WireFormat.HEADER_LENGTH + blockLength;
        }
        if (random.nextBoolean() && position <= frame.length)
        {
            return Arrays.copyOf(frame, position);
        }
        return frame;
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
