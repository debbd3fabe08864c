package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.AggressorSide;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The unchecked buffer of the publishing thread writes exactly what Agrona's checked buffer writes, batch for batch
 * (random quotes and trades, a printed seed), in both byte orders; and the writer's one check per record still keeps
 * every write inside the buffer.
 */
class AppendBufferTest
{
    @Test
    void shouldEncodeTheSameBytesAsTheCheckedBuffer()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final UnsafeBuffer checked = new UnsafeBuffer(new byte[64 * 1024]);
        final AppendBuffer unchecked = new AppendBuffer(new byte[64 * 1024]);
        final BatchWriter checkedWriter = new BatchWriter().wrap(checked, 0);
        final BatchWriter uncheckedWriter = new BatchWriter().wrap(unchecked, 0);
        for (int batch = 0; batch < 50; batch++)
        {
            final int updates = 1 + random.nextInt(200);
            for (int i = 0; i < updates; i++)
            {
                final int instrument = random.nextInt(1 << 20);
                final long a = random.nextLong();
                final long b = random.nextLong();
                final long c = random.nextLong();
                final long d = random.nextLong();
                final long timestamp = random.nextLong();
                if (random.nextInt(10) == 0)
                {
                    final AggressorSide side = random.nextBoolean() ? AggressorSide.BUY : AggressorSide.SELL;
                    checkedWriter.appendTrade(instrument, side, a, b, c, timestamp);
                    uncheckedWriter.appendTrade(instrument, side, a, b, c, timestamp);
                }
                else
                {
                    checkedWriter.appendQuote(instrument, a, b, c, d, timestamp);
                    uncheckedWriter.appendQuote(instrument, a, b, c, d, timestamp);
                }
            }
            final long epoch = random.nextLong();
            final long first = random.nextLong();
            final long sent = random.nextLong();
            final boolean replay = random.nextBoolean();
            final int length = checkedWriter.finish(epoch, first, sent, replay);

            assertThat(uncheckedWriter.finish(epoch, first, sent, replay)).as("seed %d", seed).isEqualTo(length);
            final byte[] expected = new byte[length];
            final byte[] actual = new byte[length];
            checked.getBytes(0, expected);
            unchecked.getBytes(0, actual);
            assertThat(actual).as("seed %d, batch %d", seed, batch).isEqualTo(expected);
            checkedWriter.reset();
            uncheckedWriter.reset();
        }
    }

    @Test
    void shouldWriteInEitherByteOrderAsTheCheckedBufferDoes()
    {
        final UnsafeBuffer checked = new UnsafeBuffer(new byte[32]);
        final AppendBuffer unchecked = new AppendBuffer(new byte[32]);
        for (final ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN})
        {
            checked.putLong(0, 0x0102030405060708L, order);
            checked.putInt(8, 0x0A0B0C0D, order);
            checked.putShort(12, (short)0x1E1F, order);
            checked.putByte(14, (byte)0x7F);
            unchecked.putLong(0, 0x0102030405060708L, order);
            unchecked.putInt(8, 0x0A0B0C0D, order);
            unchecked.putShort(12, (short)0x1E1F, order);
            unchecked.putByte(14, (byte)0x7F);

            assertThat(unchecked.byteArray()).as("%s", order).isEqualTo(checked.byteArray());
        }
    }

    @Test
    void shouldRefuseARecordThatDoesNotFitRatherThanWritePastTheBuffer()
    {
        final AppendBuffer small = new AppendBuffer(new byte[WireFormat.BATCH_HEADER_LENGTH + WireFormat.QUOTE_LENGTH]);
        final BatchWriter writer = new BatchWriter().wrap(small, 0);
        writer.appendQuote(1, 2, 3, 4, 5, 6);

        assertThatThrownBy(() -> writer.appendQuote(1, 2, 3, 4, 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> writer.appendTrade(1, AggressorSide.BUY, 2, 3, 4, 5))
            .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(writer.finish(1, 1, 1, false)).isEqualTo(small.capacity());
    }
}
