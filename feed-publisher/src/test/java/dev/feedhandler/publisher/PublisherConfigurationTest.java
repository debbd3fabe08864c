package dev.feedhandler.publisher;

import dev.feedhandler.common.shm.ShmLocation;
import dev.feedhandler.publisher.shm.SharedMemoryConfiguration;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PublisherConfigurationTest
{
    private static final PublisherConfiguration DEFAULTS =
        PublisherConfiguration.defaults(SocketConfiguration.defaults(List.of("inproc://x")));
    private static final SharedMemoryConfiguration SHM =
        SharedMemoryConfiguration.of(new ShmLocation("feed", Path.of("/tmp")));

    @Test
    void shouldParkTheDefaultPeriodWithoutSharedMemory()
    {
        assertThat(DEFAULTS.idleStrategy()).isEqualTo("park");
    }

    @Test
    void shouldParkTheDefaultPeriodAlsoWhenItWritesSharedMemorySinceItWakesTheReaders()
    {
        assertThat(DEFAULTS.withSharedMemory(SHM).idleStrategy()).isEqualTo("park");
    }

    @Test
    void shouldKeepAStrategyChosenExplicitlyAlsoWithSharedMemory()
    {
        final PublisherConfiguration chosen = new PublisherConfiguration(DEFAULTS.batch(), DEFAULTS.socket(),
            DEFAULTS.heartbeatInterval(), 0, DEFAULTS.awaitTimeout(), null, "park:300us", SHM, null);

        assertThat(chosen.idleStrategy()).isEqualTo("park:300us");
    }
}
