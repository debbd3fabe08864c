package dev.feedhandler.publisher.batch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class MessageRateWatchTest
{
    private static final long SECOND = MessageRateWatch.WINDOW_NS;

    private final MessageRateWatch watch = new MessageRateWatch(BatchConfiguration.defaults());
    private long nowNs = 1_000;
    private long batches;
    private long lingered;
    private long updates;
    private long lingerNs = 1_000_000;

    @Test
    void warnsWhenLingerForcedBatchesTakeTheRateOverTheBudget()
    {
        assertThat(second(0, 0, 0)).isNull();
        final String warning = second(122_000, 110_000, 200_000);

        assertThat(warning).startsWith("sending 122,000 messages/s, 6.1 times the message budget of 20,000/s")
            .contains("90% of them were closed by the 1 ms linger with 1.6 updates each")
            .contains("with 2,000 topics of similar activity about 100 ms keeps to the budget");
        assertThat(watch.overBudgetSeconds()).isEqualTo(1);
    }

    @Test
    void namesTheLingerInForceNotTheConfiguredOne()
    {
        second(0, 0, 0);
        lingerNs = 200_000_000; // --batch-linger-max stretched it to its most, and still over the budget
        assertThat(second(60_000, 60_000, 600_000)).contains("closed by the 200 ms linger with 10.0 updates each");
    }

    @Test
    void countsEverySecondOverButWarnsAtMostEveryFiveMinutes()
    {
        second(0, 0, 0);
        int warnings = 0;
        for (int i = 0; i < 299; i++)
        {
            warnings += second(50_000, 50_000, 60_000) != null ? 1 : 0;
        }
        assertThat(warnings).isEqualTo(1);
        assertThat(watch.overBudgetSeconds()).isEqualTo(299);

        warnings += second(50_000, 50_000, 60_000) != null ? 1 : 0;
        warnings += second(50_000, 50_000, 60_000) != null ? 1 : 0;
        assertThat(warnings).isEqualTo(2);
        assertThat(watch.overBudgetSeconds()).isEqualTo(301);
    }

    @Test
    void aRateWithinTheBudgetOrOfFullBatchesIsNotOver()
    {
        second(0, 0, 0);
        assertThat(second(38_000, 38_000, 50_000)).isNull();      // within twice the budget
        assertThat(second(40_000, 10_000, 40_000_000)).isNull();  // flat out: mostly full batches
        assertThat(second(40_000, 20_000, 50_000)).isNull();      // half lingered: not most
        assertThat(watch.overBudgetSeconds()).isZero();
    }

    @Test
    void judgesWholeWindowsOnly()
    {
        second(0, 0, 0);
        nowNs += SECOND / 2;
        batches += 100_000;
        lingered += 100_000;
        assertThat(watch.onHousekeeping(nowNs, batches, lingered, updates, 2_000, lingerNs)).isNull();
        assertThat(watch.overBudgetSeconds()).isZero();

        nowNs += SECOND / 2;
        assertThat(watch.onHousekeeping(nowNs, batches, lingered, updates, 2_000, lingerNs)).isNotNull();
    }

    @Test
    void noBudgetNoWatch()
    {
        final MessageRateWatch off = new MessageRateWatch(new BatchConfiguration(1024, 65536, 1_000_000, 0));
        off.onHousekeeping(0, 0, 0, 0, 1, 1_000_000);
        assertThat(off.onHousekeeping(SECOND, 1_000_000, 1_000_000, 1_000_000, 1, 1_000_000)).isNull();
        assertThat(off.overBudgetSeconds()).isZero();
    }

    private String second(final long sent, final long lingerForced, final long carried)
    {
        if (batches == 0 && sent == 0)
        {
            return watch.onHousekeeping(nowNs, batches, lingered, updates, 2_000, lingerNs);
        }
        nowNs += SECOND;
        batches += sent;
        lingered += lingerForced;
        updates += carried;
        return watch.onHousekeeping(nowNs, batches, lingered, updates, 2_000, lingerNs);
    }
}
