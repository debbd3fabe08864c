package dev.feedhandler.cli.options;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up's private feed runs to its end through real catch-up streams (every topic loses a range larger than a
 * page), delivering nearly all of it, and leaves no thread of its own behind; with a journal (a publisher's
 * {@code --journal}), the streams read it from a journal of its own, which is gone afterwards.
 */
@Timeout(60)
class CatchUpWarmUpTest
{
    @Test
    void shouldRunThePrivateFeedThroughCatchUpToItsEnd()
    {
        final String done = CatchUpWarmUp.run(Duration.ofSeconds(45));

        // Flat out over inproc, a loaded machine may also lose what the recovery hand-off could not keep (seen once:
        // 981,568 delivered, 20 gaps); the warm-up only has to run the catch-up path, to the session's end.
        assertThat(done).matches("warmed up the catch-up path: [0-9,]+ of 1,000,000 updates of a private feed in "
            + "[0-9]+ ms, [0-9]+ gaps recovered");
        final long delivered = Long.parseLong(done.replaceAll("^warmed up the catch-up path: ([0-9,]+) of .*$", "$1")
            .replace(",", ""));
        assertThat(delivered).isGreaterThan(CatchUpWarmUp.UPDATES * 9 / 10);
        // At least the range dropped on purpose on every topic (a flat-out feed may lose more at its high-water mark).
        final long gaps = Long.parseLong(done.replaceAll(".* ms, (\\d+) gaps recovered$", "$1"));
        assertThat(gaps).isGreaterThanOrEqualTo(CatchUpWarmUp.INSTRUMENTS);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.isAlive() &&
            "warm-up-publisher".equals(thread.getName()));
    }

    @Test
    void shouldStreamFromAJournalOfItsOwnAndDeleteIt() throws IOException
    {
        final Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        final List<Path> before = warmUpJournals(temporary);

        final String done = CatchUpWarmUp.run(Duration.ofSeconds(45), true);

        assertThat(done).matches("warmed up the catch-up path: [0-9,]+ of 2,000,000 updates of a private feed in "
            + "[0-9]+ ms, [0-9]+ gaps recovered, [0-9,]+ batches streamed from a journal of its own");
        final long fromJournal = Long.parseLong(done.replaceAll(".*, ([0-9,]+) batches streamed from .*$", "$1")
            .replace(",", ""));
        // The window holds a megabyte, the ranges kept off the socket are tens of them: most of every stream comes
        // from the journal, in batches of a live feed's size.
        assertThat(fromJournal).isGreaterThan(10_000);
        assertThat(warmUpJournals(temporary)).as("the private journal is deleted").isSubsetOf(before);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.isAlive() &&
            thread.getName().startsWith("warm-up-"));
    }

    private static List<Path> warmUpJournals(final Path temporary) throws IOException
    {
        try (Stream<Path> paths = Files.list(temporary))
        {
            return paths.filter(path -> path.getFileName().toString().startsWith("feed-warm-up-journal-"))
                .collect(Collectors.toList());
        }
    }
}
