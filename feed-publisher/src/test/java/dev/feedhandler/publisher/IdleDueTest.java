package dev.feedhandler.publisher;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.batch.Publication;
import dev.feedhandler.publisher.batch.SmartBatcher;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import org.junit.jupiter.api.Test;

import static dev.feedhandler.publisher.IdleDue.HOUSEKEEPING_INTERVAL_NS;
import static dev.feedhandler.publisher.IdleDue.IDLE_HOUSEKEEPING_INTERVAL_NS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * When an idle publisher wakes next: housekeeping stretches from 10 ms to 100 ms when nothing went out, but never
 * past a topic's heartbeat or the session status; a paced source's next update comes first when it is sooner; a
 * source that cannot tell means no due time at all. Explicit times, no thread.
 */
class IdleDueTest
{
    private static final long MS = 1_000_000L;
    private static final long HEARTBEAT_NS = 1_000 * MS;
    private static final long T0 = 5_000 * MS;

    private final SmartBatcher batcher = batcher();

    private static SmartBatcher batcher()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        registry.register("EURUSD");
        registry.register("GBPUSD");
        final Publication sent = (topic, payload, offset, length) -> Publication.SENT;
        return new SmartBatcher(new BatchConfiguration(64, 64 * 1024, MS), registry, sent, WallClock.shared(), 7);
    }

    @Test
    void shouldKeepTheBusyPeriodWhileUpdatesFlow()
    {
        assertThat(IdleDue.nextHousekeepingNs(batcher, T0, HEARTBEAT_NS, T0 + HEARTBEAT_NS, false))
            .isEqualTo(T0 + HOUSEKEEPING_INTERVAL_NS);
    }

    @Test
    void shouldStretchHousekeepingWhenIdleButNotPastAHeartbeatOrTheStatus()
    {
        batcher.nowNs(T0);
        batcher.sendHeartbeats(T0, HEARTBEAT_NS);
        assertThat(IdleDue.nextHousekeepingNs(batcher, T0, HEARTBEAT_NS, T0 + HEARTBEAT_NS, true))
            .isEqualTo(T0 + IDLE_HOUSEKEEPING_INTERVAL_NS);

        final long late = T0 + HEARTBEAT_NS - 30 * MS;
        assertThat(IdleDue.nextHousekeepingNs(batcher, late, HEARTBEAT_NS, T0 + 2 * HEARTBEAT_NS, true))
            .as("the topics' heartbeats are due in 30 ms").isEqualTo(T0 + HEARTBEAT_NS);
        assertThat(IdleDue.nextHousekeepingNs(batcher, late, HEARTBEAT_NS, late + 20 * MS, true))
            .as("the session status is due in 20 ms").isEqualTo(late + 20 * MS);
        assertThat(IdleDue.nextHousekeepingNs(batcher, late, HEARTBEAT_NS, late + 2 * MS, true))
            .as("never sooner than the busy period").isEqualTo(late + HOUSEKEEPING_INTERVAL_NS);
    }

    @Test
    void shouldWakeForTheSourcesNextUpdateOrHousekeepingWhicheverIsFirst()
    {
        assertThat(IdleDue.nextDueNs(T0 + 400 * MS, T0 + 100 * MS, T0)).isEqualTo(T0 + 100 * MS);
        assertThat(IdleDue.nextDueNs(T0 + 40 * MS, T0 + 100 * MS, T0)).isEqualTo(T0 + 40 * MS);
        assertThat(IdleDue.nextDueNs(T0, T0 + 100 * MS, T0)).as("the source cannot tell: none").isEqualTo(T0);
        assertThat(IdleDue.nextDueNs(T0 - 5, T0 + 100 * MS, T0)).as("already due: none").isEqualTo(T0);
    }
}
