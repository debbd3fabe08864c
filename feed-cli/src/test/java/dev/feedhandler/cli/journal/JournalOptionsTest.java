package dev.feedhandler.cli.journal;

import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.journal.JournalConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --journal-cached}: a size, 0 (release all that can go) or {@code all} (the kernel decides).
 */
@Timeout(10)
class JournalOptionsTest
{
    @Test
    void shouldReadASizeZeroOrAll()
    {
        assertThat(JournalOptions.cachedBytes("256m")).isEqualTo(256L << 20);
        assertThat(JournalOptions.cachedBytes("1g")).isEqualTo(1L << 30);
        assertThat(JournalOptions.cachedBytes("0")).isZero();
        assertThat(JournalOptions.cachedBytes("all")).isEqualTo(JournalConfiguration.CACHED_ALL);
        assertThat(JournalOptions.cachedBytes(" ALL ")).isEqualTo(JournalConfiguration.CACHED_ALL);
        assertThat(JournalOptions.cachedBytes(null)).isEqualTo(JournalConfiguration.DEFAULT_CACHED_BYTES);
    }

    @Test
    void shouldRefuseAnythingElseInOneLine()
    {
        assertThatThrownBy(() -> JournalOptions.cachedBytes("-1")).isInstanceOf(CliException.class)
            .hasMessage("--journal-cached: '-1' is not a size in bytes, 0 or 'all' (examples: 256m, 1g)");
        assertThatThrownBy(() -> JournalOptions.cachedBytes("some")).isInstanceOf(CliException.class)
            .hasMessageStartingWith("--journal-cached: 'some' is not a size");
    }
}
