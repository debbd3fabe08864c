package dev.feedhandler.publisher;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The session epoch of a line depends on the feed id and start alone, so every line of a feed agrees on it, and
 * bad names are refused with one line naming the flag.
 */
class FeedLineTest
{
    private static final long START =
        Instant.parse("2026-12-05T09:00:00Z").getEpochSecond() * 1_000_000_000L + 123_456_789L;

    @Test
    void shouldDeriveTheSameEpochOnEveryLineAndAnotherForAnotherFeedOrStart()
    {
        final long a = new FeedLine("FX", "A", START).sessionEpoch();
        assertThat(new FeedLine("FX", "B", START).sessionEpoch()).isEqualTo(a);
        assertThat(new FeedLine("FX2", "A", START).sessionEpoch()).isNotEqualTo(a);
        assertThat(new FeedLine("FX", "A", START + 1_000_000L).sessionEpoch()).as("a later start is a newer session")
            .isGreaterThan(a);
        assertThat(a / 1_000_000L).as("it still reads as the start, to the millisecond")
            .isEqualTo(START / 1_000_000L);
    }

    @Test
    void shouldRefuseBadNamesWithOneLine()
    {
        assertThatThrownBy(() -> new FeedLine("FX", "A B", START)).hasMessage(
            "--line must be 1 to 16 letters, digits, '-' or '_', such as A or B, was 'A B'");
        assertThatThrownBy(() -> new FeedLine("", "A", START)).hasMessageStartingWith("--feed-id must be 1 to ");
        assertThatThrownBy(() -> new FeedLine("FX", "A", 0)).hasMessage("--feed-start must be after 1970, was 0");
    }
}
