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
    void shouldRejectWhatItCannotParseWithOneLine()
    {
        assertThatThrownBy(() -> DropSpec.parse("EURUSD")).hasMessage(
            "--drop-batches: bad item 'EURUSD': expected TOPIC:SEQ, TOPIC:FROM-TO or every:N");
        assertThatThrownBy(() -> DropSpec.parse("EURUSD:x")).hasMessage(
            "--drop-batches: bad item 'EURUSD:x': 'x' is not a number");
        assertThatThrownBy(() -> DropSpec.parse("every:0")).hasMessage(
            "--drop-batches: bad item 'every:0': numbers start at 1");
        assertThatThrownBy(() -> DropSpec.parse("EURUSD:9-3")).hasMessage(
            "--drop-batches: bad item 'EURUSD:9-3': the range ends before it starts");
        assertThatThrownBy(() -> DropSpec.parse("EUR USD:3")).hasMessage(
            "--drop-batches: bad item 'EUR USD:3': 'EUR USD' is not a topic");
    }
}
