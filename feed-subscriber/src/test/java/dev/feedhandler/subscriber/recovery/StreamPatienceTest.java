package dev.feedhandler.subscriber.recovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's patience with a late catch-up stream, on a clock of the test's own: a socket that brought pages or
 * keep-alives recently is kept (the stream waits, longer each time, and is asked for again alone on it); only a
 * socket silent for the whole patience is replaced.
 */
@Timeout(10)
class StreamPatienceTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long TIMEOUT = 500 * MS;
    private static final int RETRIES = 3;

    private final StreamPatience patience = new StreamPatience(TIMEOUT, RETRIES);

    @Test
    void shouldReconnectWhenTheSocketHasHeardNothingSinceItOpened()
    {
        assertThat(patience.onLate(10_000 * MS, StreamPatience.NEVER, 0)).isEqualTo(StreamPatience.RECONNECT);
        assertThat(patience.alive(10_000 * MS, StreamPatience.NEVER)).isFalse();
    }

    @Test
    void shouldKeepWaitingOnTheSameSocketWhilePagesKeepComingAndNeverGiveUpOnFourSilences()
    {
        long now = 1_000 * MS;
        long heard = now;
        long deadline = now + TIMEOUT;
        // A starved service: a page every 1.5 s, three times the timeout.
        for (int page = 0; page < 20; page++)
        {
            int waits = 0;
            now = deadline;
            while (now - heard < 1_500 * MS)
            {
                final int decision = patience.onLate(now, heard, waits);
                assertThat(decision).as("page %d, silent %d ms", page, (now - heard) / MS)
                    .isEqualTo(StreamPatience.WAIT);
                waits++;
                deadline = patience.nextDeadline(now, waits);
                now = Math.min(deadline, heard + 1_500 * MS);
            }
            heard = now;
            deadline = now + TIMEOUT;
        }
    }

    @Test
    void shouldWaitTwiceAsLongAfterEachSilenceUpToThePatience()
    {
        final long now = 1_000 * MS;
        assertThat(patience.nextDeadline(now, 1) - now).isEqualTo(2 * TIMEOUT);
        assertThat(patience.nextDeadline(now, 2) - now).isEqualTo(4 * TIMEOUT);
        assertThat(patience.nextDeadline(now, 3) - now).isEqualTo(4 * TIMEOUT);
        assertThat(patience.nextDeadline(now, 1_000) - now).isEqualTo(4 * TIMEOUT);
    }

    @Test
    void shouldAskForALoneSilentStreamAgainOnTheSameSocketWhileOthersAreServed()
    {
        final long now = 10_000 * MS;
        final long heard = now - 100 * MS;
        for (int waits = 0; waits <= RETRIES; waits++)
        {
            assertThat(patience.onLate(now, heard, waits)).isEqualTo(StreamPatience.WAIT);
        }
        assertThat(patience.onLate(now, heard, RETRIES + 1)).isEqualTo(StreamPatience.REOPEN);
        assertThat(patience.alive(now, heard)).isTrue();
    }

    @Test
    void shouldReconnectOnceTheSocketHasBeenSilentForThePatience()
    {
        final long heard = 1_000 * MS;
        final long patienceNs = TIMEOUT * (RETRIES + 1);
        assertThat(patience.onLate(heard + patienceNs - 1, heard, 1)).isEqualTo(StreamPatience.WAIT);
        assertThat(patience.onLate(heard + patienceNs, heard, 1)).isEqualTo(StreamPatience.RECONNECT);
        assertThat(patience.onLate(heard + patienceNs, heard, 0)).isEqualTo(StreamPatience.RECONNECT);
        assertThat(patience.alive(heard + patienceNs, heard)).isFalse();
    }

    @Test
    void shouldWaitForASlowServiceOnlyWhileThePublisherIsLiveAndTheSocketConnectedUpToTheLimit()
    {
        final StreamPatience slowRule = new StreamPatience(TIMEOUT, RETRIES, 30_000 * MS);
        final long owed = 1_000 * MS;
        // A starved service: the publisher's heartbeats arrive and the connection is through its greeting.
        assertThat(slowRule.slow(owed + TIMEOUT, owed, true, true)).isTrue();
        assertThat(slowRule.slow(owed + 29_999 * MS, owed, true, true)).isTrue();
        // Owed for the whole limit: its silence counts toward the retries again.
        assertThat(slowRule.slow(owed + 30_000 * MS, owed, true, true)).isFalse();
        // No evidence that the service's process runs, or that the request reached it: Lazy Pirate as before.
        assertThat(slowRule.slow(owed + TIMEOUT, owed, false, true)).isFalse();
        assertThat(slowRule.slow(owed + TIMEOUT, owed, true, false)).isFalse();
        // A limit of 0 never waits, and neither does the rule without one.
        assertThat(new StreamPatience(TIMEOUT, RETRIES, 0).slow(owed + TIMEOUT, owed, true, true)).isFalse();
        assertThat(patience.slow(owed + TIMEOUT, owed, true, true)).isFalse();
    }
}
