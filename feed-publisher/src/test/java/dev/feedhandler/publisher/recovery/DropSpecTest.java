package dev.feedhandler.publisher.recovery;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The test hook's specification: what it drops, and one-line errors for what it cannot parse.
 */
class DropSpecTest
{
    private static final byte[] EURUSD = "EURUSD".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GBPUSD = "GBPUSD".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldDropTheBatchesThatCarryTheChosenSequencesOrEveryNth()
    {
        final DropSpec spec = DropSpec.parse("EURUSD:17, GBPUSD:100-200");
        assertThat(spec.isActive()).isTrue();
        assertThat(spec.drops(EURUSD, 10, 8, 1)).as("10..17").isTrue();
        assertThat(spec.drops(EURUSD, 18, 8, 2)).isFalse();
        assertThat(spec.drops(EURUSD, 1, 16, 3)).as("1..16").isFalse();
        assertThat(spec.drops(GBPUSD, 17, 1, 4)).isFalse();
        assertThat(spec.drops(GBPUSD, 95, 10, 5)).isTrue();
        assertThat(spec.drops(GBPUSD, 200, 1, 6)).isTrue();
        assertThat(spec.drops(GBPUSD, 201, 50, 7)).isFalse();

        final DropSpec every = DropSpec.parse("every:3");
        assertThat(every.drops(EURUSD, 1, 1, 1)).isFalse();
        assertThat(every.drops(EURUSD, 1, 1, 3)).isTrue();
        assertThat(every.drops(GBPUSD, 1, 1, 6)).isTrue();
        assertThat(DropSpec.parse(null).isActive()).isFalse();
        assertThat(DropSpec.parse(" ").isActive()).isFalse();
    }

    @Test
    void shouldDropAboutThePercentageAtRandomAndRepeatAChosenSeed()
    {
        final DropSpec spec = DropSpec.parse("random:1%@7");
        assertThat(spec.isActive()).isTrue();
        final boolean[] first = new boolean[100_000];
        int dropped = 0;
        for (int i = 0; i < first.length; i++)
        {
            first[i] = spec.drops(EURUSD, i + 1, 1, i + 1);
            dropped += first[i] ? 1 : 0;
        }
        assertThat(dropped).as("1% of 100000").isBetween(850, 1150);
        final DropSpec again = DropSpec.parse("random:1%@7");
        final DropSpec other = DropSpec.parse("random:1%@8");
        int same = 0;
        int overlap = 0;
        for (int i = 0; i < first.length; i++)
        {
            same += again.drops(EURUSD, i + 1, 1, i + 1) == first[i] ? 1 : 0;
            overlap += other.drops(EURUSD, i + 1, 1, i + 1) && first[i] ? 1 : 0;
        }
        assertThat(same).as("the same seed drops the same batches").isEqualTo(first.length);
        assertThat(overlap).as("another seed drops other batches: about 1% of 1%").isLessThan(40);
        assertThat(DropSpec.parse("random:100%").drops(GBPUSD, 1, 1, 1)).isTrue();
    }

    @Test
    void shouldDropTheEndOnlyWhenAsked()
    {
        assertThat(DropSpec.parse("end").dropsEnd()).isTrue();
        assertThat(DropSpec.parse("end").drops(EURUSD, 1, 1, 1)).as("no data batch").isFalse();
        assertThat(DropSpec.parse("EURUSD:3, END").dropsEnd()).isTrue();
        assertThat(DropSpec.parse("EURUSD:3").dropsEnd()).isFalse();
        assertThat(DropSpec.NONE.dropsEnd()).isFalse();
    }

    @Test
    void shouldRejectWhatItCannotParseWithOneLine()
    {
        assertThatThrownBy(() -> DropSpec.parse("EURUSD")).hasMessage(
            "--drop-batches: bad item 'EURUSD': expected TOPIC:SEQ, TOPIC:FROM-TO, every:N, random:P% or end");
        assertThatThrownBy(() -> DropSpec.parse("EURUSD:x")).hasMessage(
            "--drop-batches: bad item 'EURUSD:x': 'x' is not a number");
        assertThatThrownBy(() -> DropSpec.parse("every:0")).hasMessage(
            "--drop-batches: bad item 'every:0': numbers start at 1");
        assertThatThrownBy(() -> DropSpec.parse("EURUSD:9-3")).hasMessage(
            "--drop-batches: bad item 'EURUSD:9-3': the range ends before it starts");
        assertThatThrownBy(() -> DropSpec.parse("EUR USD:3")).hasMessage(
            "--drop-batches: bad item 'EUR USD:3': 'EUR USD' is not a topic");
        assertThatThrownBy(() -> DropSpec.parse("random:1")).hasMessage(
            "--drop-batches: bad item 'random:1': '1' is not a percentage such as 1%");
        assertThatThrownBy(() -> DropSpec.parse("random:0%")).hasMessage(
            "--drop-batches: bad item 'random:0%': the percentage must be above 0 and at most 100");
        assertThatThrownBy(() -> DropSpec.parse("random:1%@x")).hasMessage(
            "--drop-batches: bad item 'random:1%@x': 'x' is not a seed (a number)");
    }
}
