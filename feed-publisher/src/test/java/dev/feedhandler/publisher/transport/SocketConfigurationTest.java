package dev.feedhandler.publisher.transport;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SocketConfigurationTest
{
    @Test
    void shouldRefuseASendBufferOnATcpOrIpcBindInOneLine()
    {
        for (final String endpoint : List.of("tcp://127.0.0.1:5556", "ipc://prices"))
        {
            assertThatThrownBy(() -> new SocketConfiguration(List.of(endpoint), 4096, 1, 1 << 20, false, 0,
                Backpressure.DROP))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--sndbuf cannot be used with " + endpoint + ": JeroMQ 0.6.0 applies it to the " +
                    "listening socket, which does not support SO_SNDBUF (tcp, and ipc, which is tcp underneath)");
        }
        assertThat(new SocketConfiguration(List.of("inproc://prices"), 4096, 1, 1 << 20, false, 0,
            Backpressure.DROP).sendBufferBytes()).isEqualTo(1 << 20);
    }
}
