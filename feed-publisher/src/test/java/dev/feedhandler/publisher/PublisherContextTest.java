package dev.feedhandler.publisher;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.source.SyntheticSource;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublisherContextTest
{
    @Test
    void shouldNameWhatIsMissing()
    {
        final PublisherContext context = new PublisherContext().registry(new InstrumentRegistry());

        assertThatThrownBy(context::conclude).isInstanceOf(IllegalStateException.class)
            .hasMessageEndingWith("missing: configuration, source");
        assertThatThrownBy(() -> new FeedPublisher(context)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldNotChangeOnceConcluded()
    {
        final PublisherContext context = new PublisherContext()
            .configuration(PublisherConfiguration.defaults(SocketConfiguration.defaults(List.of("inproc://x"))))
            .source(new SyntheticSource(SyntheticConfiguration.defaults(), new InstrumentRegistry(),
                WallClock.shared()))
            .registry(new InstrumentRegistry())
            .conclude();

        assertThat(context.socketSetup()).isNotNull();
        assertThat(context.recovery()).isNull();
        assertThatThrownBy(() -> context.journal(null)).isInstanceOf(IllegalStateException.class);
    }
}
