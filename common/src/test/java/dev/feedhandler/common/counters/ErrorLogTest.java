package dev.feedhandler.common.counters;

import dev.feedhandler.common.testing.LogCapture;
import org.agrona.concurrent.CountedErrorHandler;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one error path: a thread's handler counts every error, records each distinct one (class, message, stack
 * trace) once with its count, and logs only the first observation of each.
 */
@Timeout(30)
class ErrorLogTest
{
    private static final Logger LOG = LoggerFactory.getLogger(ErrorLogTest.class);

    @Test
    void shouldLogEachDistinctErrorOnceAndCountEveryOne()
    {
        try (ProcessCounters counters = ProcessCounters.inMemory("test");
            LogCapture log = LogCapture.of(ErrorLogTest.class))
        {
            final AtomicCounter errors = counters.newCounter(CounterTypes.ERRORS, "errors: test thread");
            final CountedErrorHandler handler =
                counters.errors().handler(LOG, Level.ERROR, "worker failed; it goes on", errors);

            for (int i = 0; i < 1002; i++)
            {
                // Errors from the same place with the same message are the same error.
                handler.onError(fail(i < 1000 ? "bad price" : "bad size"));
            }

            assertThat(errors.get()).isEqualTo(1002);
            assertThat(log.linesWith("ERROR worker failed; it goes on")).containsExactly(
                "ERROR worker failed; it goes on (repeats of this error are counted, not logged)",
                "ERROR worker failed; it goes on (repeats of this error are counted, not logged)");
            final List<String> recorded = new ArrayList<>();
            final int distinct = counters.errors().read((count, firstMs, lastMs, text) ->
                recorded.add(count + " " + text.lines().findFirst().orElse("")));
            assertThat(distinct).isEqualTo(2);
            assertThat(recorded).containsExactlyInAnyOrder(
                "1000 java.lang.IllegalStateException: bad price",
                "2 java.lang.IllegalStateException: bad size");
        }
    }

    @Test
    void shouldLogTheErrorsOwnMessageWhenTheHandlerHasNoLineOfItsOwn()
    {
        try (ProcessCounters counters = ProcessCounters.inMemory("test");
            LogCapture log = LogCapture.of(ErrorLogTest.class))
        {
            final CountedErrorHandler handler = counters.errors().handler(LOG, Level.WARN, null,
                counters.newCounter(CounterTypes.ERRORS, "errors"));
            handler.onError(fail("journal write failed: disk full"));
            assertThat(log.lines().stream().filter(line -> !line.startsWith("DEBUG"))).containsExactly(
                "WARN journal write failed: disk full (repeats of this error are counted, not logged)");
        }
    }

    @Test
    void shouldSayOnceThatTheLogIsFullAndStillCountEveryError()
    {
        try (LogCapture log = LogCapture.of(ErrorLogTest.class))
        {
            final ErrorLog small = ErrorLog.inMemory(256);
            final ProcessCounters counters = ProcessCounters.inMemory("test");
            final AtomicCounter errors = counters.newCounter(CounterTypes.ERRORS, "errors");
            final CountedErrorHandler handler = small.handler(LOG, Level.ERROR, "failed", errors);

            // A stack trace is far larger than 256 bytes: not even the first fits.
            for (int i = 0; i < 5; i++)
            {
                handler.onError(fail("error " + i));
            }

            assertThat(errors.get()).isEqualTo(5);
            assertThat(log.lines().stream().filter(line -> !line.startsWith("DEBUG")))
                .singleElement().asString().startsWith("ERROR failed (the error log of 256 bytes is full");
            assertThat(small.record(fail("another"))).isEqualTo(ErrorLog.Observation.NO_SPACE);
        }
    }

    @Test
    void shouldTellANewErrorFromARepeatWhateverThreadRecordsIt() throws Exception
    {
        final ErrorLog errors = ErrorLog.inMemory(64 * 1024);
        final Throwable[] thrown = new Throwable[4];
        for (int i = 0; i < thrown.length; i++)
        {
            thrown[i] = fail(i < 2 ? "x" : "y");
        }
        assertThat(errors.record(thrown[0])).isEqualTo(ErrorLog.Observation.NEW);
        final ErrorLog.Observation[] other = new ErrorLog.Observation[2];
        final Thread thread = new Thread(() ->
        {
            other[0] = errors.record(thrown[1]);
            other[1] = errors.record(thrown[2]);
        });
        thread.start();
        thread.join();
        assertThat(other).containsExactly(ErrorLog.Observation.REPEAT, ErrorLog.Observation.NEW);
        assertThat(errors.record(thrown[3])).isEqualTo(ErrorLog.Observation.REPEAT);
    }

    private static IllegalStateException fail(final String message)
    {
        // One call site: equal messages give equal errors (same class, message and stack trace).
        return new IllegalStateException(message);
    }
}
