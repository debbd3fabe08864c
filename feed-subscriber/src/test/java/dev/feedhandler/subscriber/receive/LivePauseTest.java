package dev.feedhandler.subscriber.receive;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live feed's pause while every topic catches up, seen where it matters: the subscription messages a real XPUB
 * receives from the SUB socket (inproc, verbose, so that every one shows).
 */
@Timeout(10)
class LivePauseTest
{
    private final ZContext context = new ZContext();
    private final ZMQ.Socket xpub = context.createSocket(SocketType.XPUB);
    private final ZMQ.Socket sub = context.createSocket(SocketType.SUB);
    private final LivePause pause = new LivePause(List.of("EUR", "USD"));

    LivePauseTest()
    {
        xpub.setXpubVerbose(true);
        xpub.setReceiveTimeOut(100);
        xpub.bind("inproc://live-pause");
        sub.connect("inproc://live-pause");
        sub.subscribe("EUR");
        sub.subscribe("USD");
        assertThat(received()).containsExactly("+EUR", "+USD");
    }

    @AfterEach
    void tearDown()
    {
        context.close();
    }

    /** The subscription messages that reached the publisher since the last call: "+topic" or "-topic". */
    private List<String> received()
    {
        final List<String> messages = new ArrayList<>();
        byte[] message;
        while ((message = xpub.recv()) != null)
        {
            messages.add((message[0] == 1 ? "+" : "-") +
                new String(message, 1, message.length - 1, StandardCharsets.US_ASCII));
        }
        return messages;
    }

    @Test
    void shouldDropTheTopicsWhileEveryTopicCatchesUpAndTakeThemAgainNearTheNewestUpdates()
    {
        assertThat(pause.check(sub, false, false)).isFalse();
        assertThat(received()).as("some topic is live: nothing changes").isEmpty();

        assertThat(pause.check(sub, true, false)).as("paused: the caller watches for pages afresh").isTrue();
        assertThat(pause.paused()).isTrue();
        assertThat(received()).containsExactly("-EUR", "-USD");
        assertThat(pause.check(sub, true, false)).isFalse();
        assertThat(received()).as("far from the newest updates: stays paused").isEmpty();

        assertThat(pause.check(sub, true, true)).isFalse();
        assertThat(pause.paused()).isFalse();
        assertThat(received()).containsExactly("+EUR", "+USD");
        pause.check(sub, true, false);
        assertThat(received()).as("once per spell: the live frames must come to merge").isEmpty();

        pause.check(sub, false, false);
        pause.check(sub, true, false);
        assertThat(received()).as("a new spell once a topic was live").containsExactly("-EUR", "-USD");
    }

    @Test
    void shouldResumeWhenATopicStopsCatchingUpAndForgetThePauseWithANewSocket()
    {
        pause.check(sub, true, false);
        assertThat(received()).containsExactly("-EUR", "-USD");
        pause.check(sub, false, false);
        assertThat(pause.paused()).isFalse();
        assertThat(received()).as("a stream ended or a topic merged: live again").containsExactly("+EUR", "+USD");

        pause.check(sub, true, false);
        pause.reset();
        assertThat(pause.paused()).as("a new socket subscribes to everything").isFalse();
        received();
        pause.check(sub, true, false);
        assertThat(received()).containsExactly("-EUR", "-USD");
    }
}
