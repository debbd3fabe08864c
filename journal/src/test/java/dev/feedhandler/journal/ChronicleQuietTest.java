package dev.feedhandler.journal;

import net.openhft.chronicle.core.analytics.AnalyticsFacade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Chronicle never calls home from this product: its analytics library is not on the classpath (so Chronicle's
 * analytics facade is a no-op whatever the flags), the JVM carries {@code -Dchronicle.analytics.disable=true}, and
 * writing and reading a journal asks for no URL at all.
 */
@Timeout(30)
class ChronicleQuietTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLeaveChronicleAnalyticsOutOfTheClasspath()
    {
        assertThatThrownBy(() -> Class.forName("net.openhft.chronicle.analytics.Analytics"))
            .isInstanceOf(ClassNotFoundException.class);
        assertThat(AnalyticsFacade.isEnabled()).isFalse();
    }

    @Test
    void shouldRunEveryTestJvmWithTheAnalyticsSwitchOff()
    {
        // Set by config/jvm.options, which Surefire, scripts/feed and child JVMs all read.
        assertThat(System.getProperty("chronicle.analytics.disable")).isEqualTo("true");
    }

    @Test
    void shouldAskForNoUrlWhileWritingAndReadingAJournal()
    {
        final List<URI> asked = new CopyOnWriteArrayList<>();
        final ProxySelector previous = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector()
        {
            @Override
            public List<Proxy> select(final URI uri)
            {
                asked.add(uri);
                // Never let a test reach out: a proxy on a closed local port.
                return List.of(new Proxy(Proxy.Type.HTTP, new java.net.InetSocketAddress("127.0.0.1", 1)));
            }

            @Override
            public void connectFailed(final URI uri, final SocketAddress address, final IOException ex)
            {
            }
        });
        try
        {
            final List<TestFrames.Frame> frames = TestFrames.session(4, 1, 1, 100);
            try (JournalRecorder recorder = JournalRecorder.open(JournalConfiguration.defaults(dir), Origin.SENT,
                "journal").start())
            {
                for (final TestFrames.Frame frame : frames)
                {
                    recorder.record(frame.topic(), frame.topic().length, frame.buffer(), 0, frame.payload().length, 1);
                }
            }
            assertThat(JournalInfo.of(dir).toMap()).containsEntry("entries", (long)frames.size());
        }
        finally
        {
            ProxySelector.setDefault(previous);
        }
        assertThat(asked).isEmpty();
    }
}
