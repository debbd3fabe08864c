package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.CatchUpCreditDecoder;
import dev.feedhandler.common.codec.CatchUpRequestDecoder;
import dev.feedhandler.common.codec.GapFillRequestDecoder;
import dev.feedhandler.common.codec.RecoveryResponseDecoder;
import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.codec.SnapshotEntryDecoder;
import dev.feedhandler.common.codec.SnapshotRequestDecoder;
import dev.feedhandler.common.testing.TestSeeds;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recovery protocol's frames written by {@link RecoveryWriter} read back through {@link RecoveryReader} (random
 * values, seeded), and the reader rejects what is not a whole, valid recovery frame without reading past it.
 */
class RecoveryCodecTest
{
    private static final int ITERATIONS = 2_000;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final RecoveryWriter writer = new RecoveryWriter();
    private final RecoveryReader reader = new RecoveryReader();

    @Test
    void shouldReadBackRandomRequestsResponsesAndEntries()
    {
        final long seed = TestSeeds.seed("shouldReadBackRandomRequestsResponsesAndEntries");
        final Random random = new Random(seed);
        final RecoveryStatus[] statuses = Arrays.stream(RecoveryStatus.values())
            .filter(s -> s != RecoveryStatus.NULL_VAL).toArray(RecoveryStatus[]::new);
        final UnsafeBuffer quote = new UnsafeBuffer(new byte[WireFormat.BATCH_HEADER_LENGTH + WireFormat.QUOTE_LENGTH]);
        for (int i = 0; i < ITERATIONS; i++)
        {
            final String why = "seed " + seed + ", iteration " + i;
            final int offset = random.nextInt(64);
            final long a = random.nextLong();
            final long b = random.nextLong();
            final long c = random.nextLong();
            final long d = random.nextLong();

            int length = writer.gapFillRequest(buffer, offset, a, b, c, d);
            assertThat(reader.read(buffer, offset, length)).as(why).isEqualTo(GapFillRequestDecoder.TEMPLATE_ID);
            assertThat(reader.gapFillRequest().requestId()).isEqualTo(a);
            assertThat(reader.gapFillRequest().sessionEpoch()).isEqualTo(b);
            assertThat(reader.gapFillRequest().fromSequence()).isEqualTo(c);
            assertThat(reader.gapFillRequest().toSequence()).isEqualTo(d);

            length = writer.snapshotRequest(buffer, offset, a, b);
            assertThat(reader.read(buffer, offset, length)).as(why).isEqualTo(SnapshotRequestDecoder.TEMPLATE_ID);
            assertThat(reader.snapshotRequest().requestId()).isEqualTo(a);
            assertThat(reader.snapshotRequest().cursor()).isEqualTo(b);

            final int credit = random.nextInt();
            buffer.setMemory(offset, 64, (byte)0xFF);
            length = writer.catchUpRequest(buffer, offset, a, b, c, d, credit);
            assertThat(reader.read(buffer, offset, length)).as(why).isEqualTo(CatchUpRequestDecoder.TEMPLATE_ID);
            assertThat(reader.catchUpRequest().requestId()).isEqualTo(a);
            assertThat(reader.catchUpRequest().sessionEpoch()).isEqualTo(b);
            assertThat(reader.catchUpRequest().fromSequence()).isEqualTo(c);
            assertThat(reader.catchUpRequest().toSequence()).isEqualTo(d);
            assertThat(reader.catchUpRequest().credit()).isEqualTo(credit);
            assertThat(buffer.getInt(offset + WireFormat.CATCH_UP_REQUEST_LENGTH - 4)).as("reserved").isZero();

            final boolean cancel = random.nextBoolean();
            buffer.setMemory(offset, 64, (byte)0xFF);
            length = writer.catchUpCredit(buffer, offset, a, credit, cancel);
            assertThat(reader.read(buffer, offset, length)).as(why).isEqualTo(CatchUpCreditDecoder.TEMPLATE_ID);
            assertThat(reader.catchUpCredit().requestId()).isEqualTo(a);
            assertThat(reader.catchUpCredit().credit()).isEqualTo(credit);
            assertThat(reader.catchUpCredit().flags().cancel()).isEqualTo(cancel);
            assertThat(buffer.getByte(offset + WireFormat.CATCH_UP_CREDIT_LENGTH - 4) & 0xFE).as("flags").isZero();
            assertThat(buffer.getByte(offset + WireFormat.CATCH_UP_CREDIT_LENGTH - 3)).as("reserved").isZero();
            assertThat(buffer.getShort(offset + WireFormat.CATCH_UP_CREDIT_LENGTH - 2)).as("reserved").isZero();

            final RecoveryStatus status = statuses[random.nextInt(statuses.length)];
            final int frames = random.nextInt();
            length = writer.response(buffer, offset, a, status, b, c, d, a ^ b, frames);
            assertThat(reader.read(buffer, offset, length)).as(why).isEqualTo(RecoveryResponseDecoder.TEMPLATE_ID);
            final RecoveryResponseDecoder response = reader.response();
            assertThat(response.requestId()).isEqualTo(a);
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.sessionEpoch()).isEqualTo(b);
            assertThat(response.fromSequence()).isEqualTo(c);
            assertThat(response.toSequence()).isEqualTo(d);
            assertThat(response.nextSequence()).isEqualTo(a ^ b);
            assertThat(response.frameCount()).isEqualTo(frames);
            assertThat(buffer.getByte(offset + WireFormat.RECOVERY_RESPONSE_LENGTH - 1)).as("reserved").isZero();

            final long quoteSequence = 1 + (random.nextLong() & Long.MAX_VALUE >> 1);
            final boolean withQuote = random.nextBoolean();
            final BatchWriter batch = new BatchWriter().wrap(quote, 0);
            batch.appendQuote(7, a, b, c, d, 42);
            length = writer.snapshotEntry(buffer, offset, b, c, quoteSequence, withQuote ? quote : null,
                WireFormat.BATCH_HEADER_LENGTH);
            assertThat(length).isEqualTo(WireFormat.SNAPSHOT_ENTRY_LENGTH + (withQuote ? WireFormat.QUOTE_LENGTH : 0));
            assertThat(reader.read(buffer, offset, length)).as(why).isEqualTo(SnapshotEntryDecoder.TEMPLATE_ID);
            assertThat(reader.snapshotEntry().sessionEpoch()).isEqualTo(b);
            assertThat(reader.snapshotEntry().lastSequence()).isEqualTo(c);
            assertThat(reader.snapshotEntry().quoteSequence()).isEqualTo(withQuote ? quoteSequence : 0);
            if (withQuote)
            {
                assertThat(reader.quoteOffset()).isEqualTo(offset + WireFormat.SNAPSHOT_ENTRY_LENGTH);
                assertThat(reader.quote().instrumentId()).isEqualTo(7);
                assertThat(reader.quote().bidPrice().mantissa()).isEqualTo(a);
                assertThat(reader.quote().askSize()).isEqualTo(d);
            }
            else
            {
                assertThat(reader.quoteOffset()).isEqualTo(-1);
            }
        }
    }

    @Test
    void shouldRejectWhatIsNotAWholeValidRecoveryFrame()
    {
        final int length = writer.gapFillRequest(buffer, 0, 1, 2, 3, 4);
        final byte[] valid = Arrays.copyOf(buffer.byteArray(), length);

        assertThat(read(Arrays.copyOf(valid, length - 1))).isEqualTo(DecodeError.TRUNCATED);
        assertThat(read(Arrays.copyOf(valid, length + 1))).isEqualTo(DecodeError.TRAILING_BYTES);
        assertThat(read(new byte[3])).isEqualTo(DecodeError.TRUNCATED);
        final byte[] wrongSchema = valid.clone();
        wrongSchema[4] = 1;
        assertThat(read(wrongSchema)).isEqualTo(DecodeError.WRONG_SCHEMA);
        final byte[] unknown = valid.clone();
        unknown[2] = 99;
        assertThat(read(unknown)).isEqualTo(DecodeError.UNKNOWN_TEMPLATE);
        final byte[] shortBlock = valid.clone();
        shortBlock[0] = 8;
        assertThat(read(shortBlock)).isEqualTo(DecodeError.BAD_BLOCK_LENGTH);
        final byte[] versionZero = valid.clone();
        versionZero[6] = 0;
        assertThat(read(versionZero)).isEqualTo(DecodeError.UNSUPPORTED_VERSION);

        final UnsafeBuffer feed = new UnsafeBuffer(new byte[WireFormat.HEARTBEAT_LENGTH]);
        new ControlWriter().heartbeat(feed, 0, 1, 2, 3, false);
        assertThat(read(feed.byteArray())).as("a feed message is not a request").isEqualTo(
            DecodeError.UNEXPECTED_MESSAGE);

        // An entry that promises a quote must carry exactly one.
        final int entry = writer.snapshotEntry(buffer, 0, 1, 5, 0, null, 0);
        buffer.putLong(WireFormat.HEADER_LENGTH + SnapshotEntryDecoder.quoteSequenceEncodingOffset(), 5,
            java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(read(Arrays.copyOf(buffer.byteArray(), entry))).isEqualTo(DecodeError.TRUNCATED);
    }

    @Test
    void shouldNeverLetAFeedReaderTakeARecoveryMessage()
    {
        final int length = writer.response(buffer, 0, 1, RecoveryStatus.OK, 2, 3, 4, 0, 0);
        final FrameReader feedReader = new FrameReader();
        assertThat(feedReader.read(buffer, 0, length)).isEqualTo(FrameKind.INVALID);
        assertThat(feedReader.error()).isEqualTo(DecodeError.UNKNOWN_TEMPLATE);
    }

    private DecodeError read(final byte[] frame)
    {
        assertThat(reader.read(new UnsafeBuffer(frame), 0, frame.length)).isEqualTo(RecoveryReader.INVALID);
        return reader.error();
    }
}
