package dev.feedhandler.common.socket;

import dev.feedhandler.common.counters.ErrorLog;
import dev.feedhandler.common.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A peer that keeps failing the same way over real tcp connections (here: one that closes before the ZeroMQ
 * greeting, as a port scanner or a misconfigured client does): every attempt is counted and recorded, the failure
 * is logged once, and once it repeats the peer's further connections are no longer logged at INFO.
 */
@Timeout(30)
class SocketEventLogTest
{
    @Test
    void shouldLogARepeatingFailureOnceAndQuietenThePeerWhileCountingEveryAttempt() throws Exception
    {
        final ErrorLog errors = ErrorLog.inMemory(64 * 1024);
        final SocketEventLog events = new SocketEventLog("feed", errors);
        try (ZContext context = new ZContext();
            LogCapture log = LogCapture.of(SocketEventLog.class))
        {
            final ZMQ.Socket xpub = context.createSocket(SocketType.XPUB);
            xpub.setEventHook(events, SocketEventLog.EVENTS);
            xpub.bind("tcp://127.0.0.1:*");
            final int port = Integer.parseInt(xpub.getLastEndpoint().replaceAll(".*:", ""));

            for (int attempt = 1; attempt <= 4; attempt++)
            {
                try (Socket peer = new Socket())
                {
                    peer.connect(new InetSocketAddress("127.0.0.1", port));
                }
                final long expected = attempt;
                await().atMost(Duration.ofSeconds(10)).until(() -> events.greetingFailures() == expected);
            }

            final List<String> lines = log.lines().stream().filter(line -> !line.startsWith("DEBUG")).toList();
            assertThat(lines).filteredOn(line -> line.startsWith("INFO feed: accepted 127.0.0.1:")).hasSize(2);
            assertThat(lines).filteredOn(line -> line.startsWith("WARN feed: lost 127.0.0.1:")).singleElement()
                .asString().endsWith("it ended before the ZMTP greeting completed: a CURVE peer at this plaintext " +
                    "socket, not ZeroMQ, or a stalled connect (JeroMQ 0.6.0 connect race) (repeats of this failure " +
                    "are counted, not logged)");
            assertThat(log.linesWith("DEBUG feed: accepted 127.0.0.1:")).hasSize(2);
            final List<String> recorded = new ArrayList<>();
            errors.read((count, first, last, text) -> recorded.add(count + " " + text.strip()));
            assertThat(recorded).containsExactly("4 " + SocketFailures.SocketFailure.class.getName() + ": feed: lost " +
                "127.0.0.1 on " + xpub.getLastEndpoint() + ": it ended before the ZMTP greeting completed: a CURVE " +
                "peer at this plaintext socket, not ZeroMQ, or a stalled connect (JeroMQ 0.6.0 connect race)");
        }
    }
}
