package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The operations kit's files checked by the tools that read them: the alert rules by {@code promtool check rules} and
 * their unit tests by {@code promtool test rules}, the systemd units by {@code systemd-analyze verify}; and against
 * each other: every alert has a runbook paragraph in docs/operations.md and a unit test, every dashboard panel a
 * query. (The queries themselves run against a real Prometheus in {@link PrometheusEndToEndTest}.)
 */
@Timeout(120)
class OperationsKitTest
{
    private static final Pattern ALERT = Pattern.compile("(?m)^\\s+- alert: (\\w+)$");
    private static final Pattern RUNBOOK = Pattern.compile("runbook_url: \"docs/operations\\.md#(\\w+)\"");

    private static Path root()
    {
        return FeedProcess.root();
    }

    @Test
    void shouldPassPromtoolsRuleCheckAndUnitTests() throws Exception
    {
        final Path promtool = ExternalTool.find("promtool");
        assumeTrue(promtool != null, "promtool is not installed (scripts/test-tools installs Debian's prometheus)");

        final ExternalTool.Result check = ExternalTool.run(root(), 60, promtool.toString(), "check", "rules",
            "ops/prometheus/alerts.yml");
        assertThat(check.status()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + alerts().size() + " rules found");

        final ExternalTool.Result test = ExternalTool.run(root(), 60, promtool.toString(), "test", "rules",
            "ops/prometheus/alerts_test.yml");
        assertThat(test.status()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void shouldGiveEveryAlertARunbookParagraphAndAUnitTest() throws IOException
    {
        final String rules = Files.readString(root().resolve("ops/prometheus/alerts.yml"));
        final String tests = Files.readString(root().resolve("ops/prometheus/alerts_test.yml"));
        final List<String> operations = Files.readAllLines(root().resolve("docs/operations.md"));
        final List<String> alerts = alerts();
        assertThat(alerts).contains("FeedStale", "FeedUnrecoverableLoss", "FeedGapRateHigh", "FeedJournalLagging",
            "FeedSubscriberRingNearFull", "FeedRecoveryFailures", "FeedCurveRefusals", "FeedPublisherFewSubscribers");

        final Matcher runbook = RUNBOOK.matcher(rules);
        final List<String> anchors = new ArrayList<>();
        while (runbook.find())
        {
            anchors.add(runbook.group(1));
        }
        assertThat(anchors).hasSameSizeAs(alerts);
        for (final String alert : alerts)
        {
            assertThat(anchors).as("runbook_url of " + alert).contains(alert.toLowerCase());
            final int heading = operations.indexOf("### " + alert);
            assertThat(heading).as("### " + alert + " in docs/operations.md").isPositive();
            assertThat(operations.get(heading + 2)).as("the runbook paragraph of " + alert).isNotBlank();
            assertThat(tests).as("a promtool test of " + alert).contains("alertname: " + alert);
        }
    }

    @Test
    void shouldVerifyTheSystemdUnits() throws Exception
    {
        final Path analyze = ExternalTool.find("systemd-analyze");
        assumeTrue(analyze != null, "systemd-analyze is not installed (scripts/test-tools installs Debian's systemd)");
        final Path units = root().resolve("ops/systemd");

        final ExternalTool.Result verify = ExternalTool.run(units, 60, analyze.toString(), "verify",
            units.resolve("feed-publisher.service").toString(), units.resolve("feed-subscriber@.service").toString());

        assertThat(verify.status()).as(verify.output()).isZero();
        // Unknown keys and bad values are warnings only: none may name our units.
        assertThat(verify.output()).doesNotContain("feed-publisher").doesNotContain("feed-subscriber");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldGiveEveryDashboardPanelAPrometheusQuery() throws IOException
    {
        final Map<String, Object> dashboard = Json.parseObject(
            Files.readString(root().resolve("ops/grafana/feed.json")));
        final List<Map<String, Object>> panels = (List<Map<String, Object>>)dashboard.get("panels");
        assertThat(panels).hasSizeGreaterThanOrEqualTo(8);
        for (final Map<String, Object> panel : panels)
        {
            final List<Map<String, Object>> targets = (List<Map<String, Object>>)panel.get("targets");
            assertThat(targets).as((String)panel.get("title")).isNotEmpty();
            targets.forEach(target -> assertThat((String)target.get("expr")).isNotBlank());
            assertThat(((Map<String, Object>)panel.get("datasource")).get("uid")).isEqualTo("${DS_PROMETHEUS}");
        }
        assertThat(PrometheusEndToEndTest.dashboardQueries())
            .anyMatch(query -> query.contains("feed_subscriber_latency_seconds{quantile=\"0.99\"}"))
            .anyMatch(query -> query.contains("feed_journal_lag_batches"))
            .anyMatch(query -> query.contains("feed_subscriber_ring_occupancy"))
            .anyMatch(query -> query.contains("feed_publisher_topic_updates_published_total"))
            .anyMatch(query -> query.contains("feed_subscriber_updates_unrecoverable_total"))
            .anyMatch(query -> query.contains("feed_subscriber_gaps_detected_total"));
    }

    private static List<String> alerts() throws IOException
    {
        final Matcher alert = ALERT.matcher(Files.readString(root().resolve("ops/prometheus/alerts.yml")));
        final List<String> names = new ArrayList<>();
        while (alert.find())
        {
            names.add(alert.group(1));
        }
        return names;
    }
}
