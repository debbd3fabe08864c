package dev.feedhandler.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * scripts/bench's options: a mistyped one is refused before anything runs (a full pass takes 40 minutes and
 * rewrites docs/benchmarks.md; `--help` once started one).
 */
@Timeout(10)
class BenchRunnerTest
{
    @Test
    void shouldReadFlagsAndOptionsWithValues()
    {
        assertThat(BenchRunner.parse(new String[] {"--only", "feed-tcp-max,feed-tcp-100k", "--runs", "3", "--no-jmh"}))
            .containsExactly(entry("only", "feed-tcp-max,feed-tcp-100k"), entry("runs", "3"), entry("no-jmh", "true"));
    }

    @Test
    void shouldMeasureTheFanOutTargetInSteadyStateNextToTheStartUp()
    {
        assertThat(BenchRunner.scenarios(false, null, "feed-fanout8-1m," + Catalog.FANOUT8_STEADY))
            .extracting(Scenario::id).containsExactly("feed-fanout8-1m", Catalog.FANOUT8_STEADY);
        assertThat(Catalog.full()).filteredOn(s -> s.id().equals(Catalog.FANOUT8_STEADY)).singleElement()
            .extracting(Scenario::title).asString().contains("8 subscriber processes", "25 s warm-up");
    }

    @Test
    void shouldTakeHelpInBothSpellings()
    {
        assertThat(BenchRunner.parse(new String[] {"--help"})).containsKey("help");
        assertThat(BenchRunner.parse(new String[] {"-h"})).containsKey("help");
    }

    @Test
    void shouldRefuseAnUnknownOption()
    {
        assertThatThrownBy(() -> BenchRunner.parse(new String[] {"--quick", "--sconds", "5"}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("unknown option '--sconds'");
    }

    @Test
    void shouldRefuseAnOptionWithoutItsValue()
    {
        assertThatThrownBy(() -> BenchRunner.parse(new String[] {"--only", "--no-jmh"}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("option --only needs a value");
        assertThatThrownBy(() -> BenchRunner.parse(new String[] {"--runs"}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("option --runs needs a value");
    }

    @Test
    void shouldRefuseAStrayArgument()
    {
        assertThatThrownBy(() -> BenchRunner.parse(new String[] {"feed-tcp-max"}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("unexpected argument 'feed-tcp-max'");
    }
}
