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
        assertThat(JournalOptions.cachedBytes("256m", "--journal-cached")).isEqualTo(256L << 20);
        assertThat(JournalOptions.cachedBytes("1g", "--journal-cached")).isEqualTo(1L << 30);
        assertThat(JournalOptions.cachedBytes("0", "--journal-cached")).isZero();
        assertThat(JournalOptions.cachedBytes("all", "--journal-cached")).isEqualTo(JournalConfiguration.CACHED_ALL);
        assertThat(JournalOptions.cachedBytes(" ALL ", "--journal-cached")).isEqualTo(JournalConfiguration.CACHED_ALL);
        assertThat(JournalOptions.cachedBytes(null, "--journal-cached"))
            .isEqualTo(JournalConfiguration.DEFAULT_CACHED_BYTES);
    }

    @Test
    void shouldRefuseAnythingElseInOneLine()
    {
        assertThatThrownBy(() -> JournalOptions.cachedBytes("-1", "--journal-cached"))
            .isInstanceOf(CliException.class)
            .hasMessage("--journal-cached: '-1' is not a size in bytes, 0 or 'all' (examples: 256m, 1g)");
        assertThatThrownBy(() -> JournalOptions.cachedBytes("some", "--journal-cached"))
            .isInstanceOf(CliException.class).hasMessageStartingWith("--journal-cached: 'some' is not a size");
        assertThatThrownBy(() -> JournalOptions.cachedBytes("x", "--record-cached"))
            .isInstanceOf(CliException.class).hasMessageStartingWith("--record-cached: 'x' is not a size");
    }
}
