package dev.feedhandler.cli.options;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up's private feed runs to its end through real catch-up streams (every topic loses a range larger than a
 * page), and leaves no thread of its own behind.
 */
@Timeout(60)
class CatchUpWarmUpTest
{
    @Test
    void shouldCatchEveryTopicUpAndDeliverEveryUpdateOfThePrivateFeed()
    {
        final String done = CatchUpWarmUp.run(Duration.ofSeconds(45));

        assertThat(done).startsWith("warmed up the catch-up path: 1,000,000 of 1,000,000 updates of a private feed in ")
            .endsWith(" gaps recovered");
        // At least the range dropped on purpose on every topic (a flat-out feed may lose more at its high-water mark).
        final long gaps = Long.parseLong(done.replaceAll(".* ms, (\\d+) gaps recovered$", "$1"));
        assertThat(gaps).isGreaterThanOrEqualTo(CatchUpWarmUp.INSTRUMENTS);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.isAlive() &&
            "warm-up-publisher".equals(thread.getName()));
    }
}
