package dev.feedhandler.common.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class TopicKeyTest
{
    @Test
    void symbolsThatDifferInTheirDigitsSpreadOverTheTable()
    {
        final int symbols = 20_000;
        final int buckets = 32_768;
        final int[] load = new int[buckets];
        final int[] agronaLoad = new int[buckets];
        for (int i = 0; i < symbols; i++)
        {
            final byte[] bytes = String.format("SYM%05d", i).getBytes(StandardCharsets.US_ASCII);
            load[spread(new TopicKey().wrap(bytes, 0, bytes.length).hashCode()) & (buckets - 1)]++;
            agronaLoad[spread(new UnsafeBuffer(bytes).hashCode()) & (buckets - 1)]++;
        }

        assertThat(max(load)).isLessThanOrEqualTo(8);
        assertThat(max(agronaLoad)).as("the key before, for the record").isGreaterThan(50);
    }

    @Test
    void equalByContentWhateverHoldsTheBytes()
    {
        final byte[] framed = "xxEURUSDyy".getBytes(StandardCharsets.US_ASCII);
        final TopicKey fromArray = new TopicKey().wrap(framed, 2, 6);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
        direct.putStringWithoutLengthAscii(3, "EURUSD");
        final TopicKey fromDirect = new TopicKey().wrap(direct, 3, 6);
        final TopicKey copy = TopicKey.copyOf(new UnsafeBuffer(framed), 2, 6);

        assertThat(fromArray).isEqualTo(fromDirect).isEqualTo(copy).hasSameHashCodeAs(copy);
        assertThat(copy).hasToString("EURUSD");
        assertThat(fromArray).isNotEqualTo(TopicKey.copyOf(new UnsafeBuffer(framed), 2, 5)).isNotEqualTo("EURUSD");

        framed[2] = 'X';
        assertThat(copy).hasToString("EURUSD");
    }

    @Test
    void aReusedLookupKeyFindsStoredKeys()
    {
        final Map<TopicKey, Integer> map = new HashMap<>();
        final byte[] buffer = new byte[32];
        for (int i = 0; i < 1_000; i++)
        {
            final byte[] symbol = ("OPT" + i + "C00150000").getBytes(StandardCharsets.US_ASCII);
            map.put(TopicKey.copyOf(new UnsafeBuffer(symbol), 0, symbol.length), i);
        }
        final TopicKey lookup = new TopicKey();
        for (int i = 0; i < 1_000; i++)
        {
            final byte[] symbol = ("OPT" + i + "C00150000").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(symbol, 0, buffer, 0, symbol.length);
            assertThat(map.get(lookup.wrap(buffer, 0, symbol.length))).isEqualTo(i);
        }
    }

    private static int spread(final int hash)
    {
        return hash ^ (hash >>> 16); // what java.util.HashMap does before it masks
    }

    private static int max(final int[] values)
    {
        int max = 0;
        for (final int value : values)
        {
            max = Math.max(max, value);
        }
        return max;
    }
}
