package dev.feedhandler.subscriber;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The builder validates once into an immutable configuration: the defaults are the documented ones, a bad setting is
 * one line, and changing the builder afterwards does not reach a subscriber already built.
 */
class SubscriberConfigurationTest
{
    private static final FeedListener LISTENER = new RecordingListener();

    @Test
    void shouldBuildTheDocumentedDefaults()
    {
        final SubscriberConfiguration configuration = FeedSubscriber.builder().listener(LISTENER).build()
            .configuration();

        assertThat(configuration.endpoints()).containsExactly("tcp://127.0.0.1:5556");
        assertThat(configuration.topics()).containsExactly("");
        assertThat(configuration.ringSize()).isEqualTo(1024);
        assertThat(configuration.receiveHwm()).isEqualTo(100_000);
        assertThat(configuration.maxFrameBytes()).isEqualTo(1024 * 1024);
        assertThat(configuration.waitStrategy()).isEqualTo("lite-blocking");
        assertThat(configuration.blockingReceive()).isTrue();
        assertThat(configuration.recoveryEndpoint()).isNull();
        assertThat(configuration.recoveryTimeoutMs()).isEqualTo(FeedSubscriber.DEFAULT_RECOVERY_TIMEOUT_MS);
        assertThat(configuration.heartbeatIntervalNs())
            .isEqualTo(FeedSubscriber.DEFAULT_HEARTBEAT_INTERVAL_MS * 1_000_000L);
    }

    @Test
    void shouldRunTheListenerOnTheReadersThreadForSharedMemoryUnlessConflatingOrAskedOtherwise()
    {
        assertThat(FeedSubscriber.builder().listener(LISTENER).build().configuration().inlineListener()).isFalse();
        assertThat(FeedSubscriber.builder().listener(LISTENER).sharedMemory("fx").build().configuration()
            .inlineListener()).isTrue();
        assertThat(FeedSubscriber.builder().listener(LISTENER).sharedMemory("fx").conflate(true).build()
            .configuration().inlineListener()).isFalse();
        assertThat(FeedSubscriber.builder().listener(LISTENER).sharedMemory("fx").listenerOnReceiverThread(false)
            .build().configuration().inlineListener()).isFalse();
        assertThat(FeedSubscriber.builder().listener(LISTENER).listenerOnReceiverThread(true).build()
            .configuration().inlineListener()).isTrue();
    }

    @Test
    void shouldKeepABuiltSubscriberAwayFromLaterChangesToItsBuilder()
    {
        final SubscriberBuilder builder = FeedSubscriber.builder().listener(LISTENER)
            .endpoint("tcp://127.0.0.1:6000").topic("EUR").ringSize(256).slotBytes(128);
        final FeedSubscriber subscriber = builder.build();

        builder.endpoint("tcp://127.0.0.1:6001").topic("GBP").ringSize(4096);

        final SubscriberConfiguration configuration = subscriber.configuration();
        assertThat(configuration.endpoints()).containsExactly("tcp://127.0.0.1:6000");
        assertThat(configuration.topics()).containsExactly("EUR");
        assertThat(configuration.ringSize()).isEqualTo(256);
        assertThat(subscriber.ringCapacity()).isEqualTo(256);
        assertThat(builder.build().configuration().endpoints())
            .containsExactly("tcp://127.0.0.1:6000", "tcp://127.0.0.1:6001");
        assertThatThrownBy(() -> configuration.topics().add("USD")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldRejectBadSettingsInOneLineWhenBuilt()
    {
        assertThatThrownBy(() -> FeedSubscriber.builder().build()).hasMessage("a listener is required");
        assertThatThrownBy(() -> FeedSubscriber.builder().listener(LISTENER).ringSize(1000).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessage("ring size must be a power of two, was 1000");
        assertThatThrownBy(() -> FeedSubscriber.builder().listener(LISTENER).waitStrategy("nap").build())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FeedSubscriber.builder().listener(LISTENER).topics(List.of("X".repeat(300))).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("topic prefix longer than");
    }
}
