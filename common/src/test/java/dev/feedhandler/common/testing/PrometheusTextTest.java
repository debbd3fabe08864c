package dev.feedhandler.common.testing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The test parser of the exposition format accepts the format and rejects what breaks it: the metrics tests rely
 * on it failing.
 */
class PrometheusTextTest
{
    private static final String GOOD = "# HELP a_total Things \\\\ counted\n# TYPE a_total counter\n" +
        "a_total{topic=\"EUR\\\"USD\",kind=\"x\"} 12.0\na_total{topic=\"GBP\",kind=\"x\"} 3 1700000000000\n" +
        "# TYPE b gauge\nb NaN\n# TYPE c summary\nc{quantile=\"0.5\"} 1.5e-05\nc_count 2\nc_sum +Inf\n";

    @Test
    void shouldParseTheTextFormat()
    {
        final PrometheusText text = PrometheusText.parse(GOOD);

        assertThat(text.count("a_total", "topic", "EUR\"USD", "kind", "x")).isEqualTo(12);
        assertThat(text.byLabel("a_total", "topic")).containsEntry("GBP", 3L);
        assertThat(text.value("c", "quantile", "0.5")).isEqualTo(1.5e-05);
        assertThat(text.count("c_count")).isEqualTo(2);
        assertThat(text.types()).containsEntry("a_total", "counter").containsEntry("c", "summary");
    }

    @Test
    void shouldRejectWhatBreaksTheFormat()
    {
        final String[] bad = {
            "# TYPE a counter\na 1",
            "a 1\n",
            "# TYPE a counter\na{x=\"1\" 1\n",
            "# TYPE a counter\na{x=1} 1\n",
            "# TYPE a counter\na{1x=\"1\"} 1\n",
            "# TYPE a counter\na 1,5\n",
            "# TYPE a counter\na  1\n",
            "# TYPE 1a counter\n1a 1\n",
            "# TYPE a counter\n# TYPE a counter\na 1\n",
            "# TYPE a counter\na 1\na 2\n",
            "# TYPE a counter\na{x=\"\\q\"} 1\n",
            "# TYPE a sometype\na 1\n",
            "# HELP a x\n# HELP a y\n# TYPE a counter\na 1\n",
        };
        for (final String text : bad)
        {
            assertThatThrownBy(() -> PrometheusText.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
