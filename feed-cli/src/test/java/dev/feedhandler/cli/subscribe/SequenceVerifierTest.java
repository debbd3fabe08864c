package dev.feedhandler.cli.subscribe;

import dev.feedhandler.subscriber.Topic;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code --verify} accepts: updates in order, each once, with losses reported where they are; several losses
 * reported one after the other before the next batch (a catch-up stream that the window kept moving away from) are
 * one loss.
 */
class SequenceVerifierTest
{
    private final Topic topic = new Topic(0, "EURUSD");
    private final SequenceVerifier verifier = new SequenceVerifier();

    private void batch(final long first, final int count)
    {
        verifier.onBatchStart(topic, 7);
        for (int i = 0; i < count; i++)
        {
            verifier.onUpdate(topic, first + i);
        }
    }

    @Test
    void shouldAcceptLossesReportedOneAfterTheOtherBeforeTheNextBatch()
    {
        batch(1, 3);
        verifier.onUnrecoverable(topic, 4, 10);
        verifier.onUnrecoverable(topic, 11, 20);
        batch(21, 2);

        assertThat(verifier.violations()).isZero();
        assertThat(verifier.summary()).containsEntry("checkedUpdates", 5L);
    }

    @Test
    void shouldFlagALossThatDoesNotStartWhereTheTopicWasAndUpdatesOutOfOrder()
    {
        batch(1, 3);
        verifier.onUnrecoverable(topic, 4, 10);
        verifier.onUnrecoverable(topic, 15, 20);
        batch(21, 1);
        batch(21, 1);

        assertThat(verifier.violations()).isEqualTo(2);
        assertThat(verifier.summary().get("firstViolations").toString())
            .contains("a loss reported from 15 while 11 was next").contains("again: 21 where 22 was next");
    }
}
