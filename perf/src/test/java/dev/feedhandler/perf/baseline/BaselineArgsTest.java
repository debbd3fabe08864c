package dev.feedhandler.perf.baseline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The baseline programs' arguments as the harness passes them: values, a bare flag, defaults, unknown names.
 */
class BaselineArgsTest
{
    @Test
    void shouldReadValuesFlagsAndDefaults()
    {
        final BaselineArgs args = new BaselineArgs(new String[] {
            "--rate", "100k", "--duration", "10s", "--batch", "256", "--block", "--role", "pub"});

        assertThat(args.rate("rate", "1")).isEqualTo(100_000);
        assertThat(args.nanos("duration", "60s")).isEqualTo(10_000_000_000L);
        assertThat(args.integer("batch", 1)).isEqualTo(256);
        assertThat(Boolean.parseBoolean(args.string("block", "false"))).isTrue();
        assertThat(args.string("role", "")).isEqualTo("pub");
        assertThat(args.nanos("warmup", "0s")).isZero();
        assertThat(args.string("hgrm", null)).isNull();
        assertThat(args.integer("instruments", 10)).isEqualTo(10);
        assertThat(Boolean.parseBoolean(new BaselineArgs(new String[0]).string("block", "false"))).isFalse();
        assertThat(new BaselineArgs(new String[] {"--block", "false"}).string("block", "true")).isEqualTo("false");
    }

    @Test
    void shouldRejectUnknownNamesAndMissingValues()
    {
        assertThatThrownBy(() -> new BaselineArgs(new String[] {"--colour", "red"}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--colour");
        assertThatThrownBy(() -> new BaselineArgs(new String[] {"--rate"}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rate");
    }
}
