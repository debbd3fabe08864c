package dev.feedhandler.common.socket;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Host and port of tcp endpoints, ZeroMQ's wildcards included, and the recovery endpoint put next to a feed.
 */
class TcpEndpointTest
{
    @ParameterizedTest
    @CsvSource({
        "tcp://127.0.0.1:5556, 127.0.0.1, 5556, tcp://127.0.0.1:5557",
        "tcp://feedhost:5556, feedhost, 5556, tcp://feedhost:5557",
        "tcp://*:5556, *, 5556, tcp://*:5557",
        "tcp://127.0.0.1:*, 127.0.0.1, 0, tcp://127.0.0.1:*",
        "tcp://127.0.0.1:0, 127.0.0.1, 0, tcp://127.0.0.1:*",
        "tcp://[::1]:5556, [::1], 5556, tcp://[::1]:5557",
        "tcp://*:*, *, 0, tcp://*:*",
    })
    void shouldReadHostAndPortAndPutTheRecoveryServiceOnTheNextPort(
        final String endpoint, final String host, final int port, final String recovery)
    {
        final TcpEndpoint parsed = TcpEndpoint.parse(endpoint);

        assertThat(parsed).isEqualTo(new TcpEndpoint(host, port));
        assertThat(RecoveryEndpoints.next(endpoint)).isEqualTo(recovery);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ipc://prices", "inproc://feed", "tcp://feedhost", "tcp://:5556", "tcp://host:port",
        "tcp://host:70000", "tcp://host:5556/path", "udp://host:5556", "tcp://user@host:5556", "tcp://host:5556?x=1"})
    void shouldHaveNoHostAndPortForOtherEndpoints(final String endpoint)
    {
        assertThat(TcpEndpoint.parse(endpoint)).isNull();
        assertThat(RecoveryEndpoints.next(endpoint)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:65535"})
    void shouldPutNoRecoveryServiceAfterTheLastPort(final String endpoint)
    {
        assertThat(TcpEndpoint.parse(endpoint)).isEqualTo(new TcpEndpoint("127.0.0.1", 65_535));
        assertThat(RecoveryEndpoints.next(endpoint)).isNull();
    }
}
