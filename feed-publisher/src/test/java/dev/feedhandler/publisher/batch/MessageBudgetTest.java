package dev.feedhandler.publisher.batch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageBudgetTest
{
    private static final long MS = 1_000_000;

    @Test
    void shouldAllowTheBurstAtOnceThenOneMessagePerInterval()
    {
        final MessageBudget budget = new MessageBudget(1_000, 3);
        final long start = 5 * MS;

        assertThat(budget.tryAcquire(start)).isTrue();
        assertThat(budget.tryAcquire(start)).isTrue();
        assertThat(budget.tryAcquire(start)).isTrue();
        assertThat(budget.tryAcquire(start)).isFalse();
        assertThat(budget.hasToken(start + MS - 1)).isFalse();
        assertThat(budget.tryAcquire(start + MS)).isTrue();
        assertThat(budget.tryAcquire(start + MS)).isFalse();
    }

    @Test
    void shouldHoldNoMoreThanTheBurstAfterAnIdleSpell()
    {
        final MessageBudget budget = new MessageBudget(1_000, 2);
        budget.tryAcquire(0);

        int allowed = 0;
        while (budget.tryAcquire(1_000 * MS))
        {
            allowed++;
        }
        assertThat(allowed).isEqualTo(2);
    }

    @Test
    void shouldChargeForcedMessagesIntoADebtOfAtMostOneBurst()
    {
        final MessageBudget budget = new MessageBudget(1_000, 2);
        for (int i = 0; i < 100; i++)
        {
            budget.charge(0);
        }
        assertThat(budget.hasToken(0)).isFalse();
        assertThat(budget.hasToken(MS)).isFalse();
        assertThat(budget.hasToken(2 * MS)).as("one burst (2 ms) of debt paid off").isTrue();
    }

    @Test
    void shouldAllowEverythingWithoutARate()
    {
        final MessageBudget budget = new MessageBudget(0, 1);
        for (int i = 0; i < 1_000_000; i++)
        {
            assertThat(budget.tryAcquire(0)).isTrue();
        }
        assertThat(budget.isLimited()).isFalse();
        assertThat(new MessageBudget(2_000_000_000L, 1).isLimited()).as("faster than one a nanosecond").isFalse();
    }

    @Test
    void shouldWorkAcrossTheSignOfNanoTime()
    {
        final MessageBudget budget = new MessageBudget(1_000, 1);
        assertThat(budget.tryAcquire(-MS / 2)).isTrue();
        assertThat(budget.tryAcquire(0)).isFalse();
        assertThat(budget.tryAcquire(MS / 2)).isTrue();
    }

    @Test
    void shouldRejectANegativeRateOrAnEmptyBurst()
    {
        assertThatThrownBy(() -> new MessageBudget(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageBudget(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
