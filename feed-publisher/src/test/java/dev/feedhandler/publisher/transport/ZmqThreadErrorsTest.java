package dev.feedhandler.publisher.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZContext;
import zmq.ZError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exception of one of JeroMQ's threads is one log line, not a stack trace on stderr (JeroMQ's default
 * notification handler is {@code Throwable::printStackTrace}; seen as a {@code ZError$IOException:
 * ClosedChannelException} trace from {@code Signaler.send} when {@code feed publish} stopped on a bad line).
 */
@Timeout(30)
class ZmqThreadErrorsTest
{
    @Test
    void shouldReportAnExceptionOfAJeroMqThreadOfThePublicationInOneLine()
    {
        final Thread ioThread = new Thread("iothread-2");
        final String stderr;
        try (XPubPublication publication = new XPubPublication(
            SocketConfiguration.defaults(List.of("tcp://127.0.0.1:*")), null, 1024))
        {
            final ZContext context = publication.context();
            stderr = captureStderr(() ->
            {
                context.getNotificationExceptionHandler().uncaughtException(ioThread,
                    new ZError.IOException(new IOException("Broken pipe")));
                context.getUncaughtExceptionHandler().uncaughtException(ioThread,
                    new IllegalStateException("boom"));
            });
        }

        assertThat(stderr.lines().toList()).hasSize(2).allSatisfy(line -> assertThat(line)
            .contains("WARN").contains("JeroMQ thread iothread-2: ").doesNotStartWith("\tat "));
        assertThat(stderr).contains("Broken pipe").contains("boom");
    }

    @Test
    void shouldKeepAChannelClosedUnderAJeroMqThreadOutOfTheOperatorsLog()
    {
        final Thread ioThread = new Thread("iothread-2");
        final String stderr;
        try (XPubPublication publication = new XPubPublication(
            SocketConfiguration.defaults(List.of("tcp://127.0.0.1:*")), null, 1024))
        {
            final ZContext context = publication.context();
            stderr = captureStderr(() -> context.getNotificationExceptionHandler().uncaughtException(ioThread,
                new ZError.IOException(new ClosedChannelException())));
        }

        assertThat(stderr).as("logged at DEBUG only").isEmpty();
    }

    private static String captureStderr(final Runnable action)
    {
        final PrintStream original = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            action.run();
        }
        finally
        {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
