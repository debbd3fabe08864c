package dev.feedhandler.common.socket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a connect cannot survive is said before the socket tries, in the words a user needs; what ZeroMQ retries (a
 * peer not there yet) is not an error.
 */
@Timeout(30)
class ConnectEndpointTest
{
    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:5556", "tcp://localhost:1", "tcp://[::1]:65535", "ipc://prices",
        "inproc://feed", "tcp://127.0.0.1:5556;127.0.0.1:0"})
    void shouldAcceptWhatCanBeConnected(final String endpoint)
    {
        assertThat(ConnectEndpoint.problem(endpoint)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "foo://x | unsupported transport 'foo' (JeroMQ supports tcp, ipc and inproc; it has no pgm or epgm)",
        "epgm://eth0;239.192.1.1:5555 | unsupported transport 'epgm' (JeroMQ supports tcp, ipc and inproc; " +
            "it has no pgm or epgm)",
        "127.0.0.1:5556 | malformed endpoint (expected tcp://host:port, ipc://name or inproc://name)",
        "tcp://localhost | malformed endpoint (expected tcp://host:port)",
        "tcp://localhost: | malformed endpoint (expected tcp://host:port)",
        "tcp://:5556 | malformed endpoint (expected tcp://host:port)",
        "tcp://*:5556 | no host to connect to (expected tcp://host:port)",
        "tcp://127.0.0.1:99999 | port 99999 out of range (1-65535)",
        "tcp://127.0.0.1:0 | port 0 out of range (1-65535)",
        "tcp://127.0.0.1:feed | malformed port 'feed' (expected a number, 1-65535)",
        "ipc:// | malformed endpoint (expected ipc://name)",
        "tcp://no-such-host.invalid:5556 | unknown host no-such-host.invalid",
    })
    void shouldSayWhyAConnectCannotWork(final String endpoint, final String reason)
    {
        assertThat(ConnectEndpoint.problem(endpoint)).isEqualTo(reason);
    }

    @Test
    void shouldFailWithTheEndpointAndTheReasonInOneLine()
    {
        assertThatThrownBy(() -> ConnectEndpoint.check("tcp://no-such-host.invalid:5556"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("cannot connect tcp://no-such-host.invalid:5556: unknown host no-such-host.invalid");
    }
}
