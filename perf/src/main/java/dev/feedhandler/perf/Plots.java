package dev.feedhandler.perf;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Percentile-distribution plots (XChart): latency against 1/(1-percentile) on a log scale, one line per scenario,
 * read from HdrHistogram's {@code .hgrm} output. The x axis carries log10(1/(1-percentile)) on a linear scale with
 * percentile labels (0 is 0%, 1 is 90%, 2 is 99%, ...), which is the same picture without XChart's logarithmic
 * axis and its custom label search.
 */
final class Plots
{
    private Plots()
    {
    }

    static void percentiles(final String title, final Map<String, Path> hgrms, final Path png) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final XYChart chart = new XYChartBuilder().width(1250).height(560).title(title)
            .xAxisTitle("percentile").yAxisTitle("latency (microseconds)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(Plots::percentileLabel);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        for (final Map.Entry<String, Path> entry : hgrms.entrySet())
        {
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            for (final String line : Files.readAllLines(entry.getValue()))
            {
                final String[] parts = line.trim().split("\\s+");
                if (parts.length != 4 || line.startsWith("#"))
                {
                    continue;
                }
                try
                {
                    final double value = Double.parseDouble(parts[0]);
                    final double inverse = Double.parseDouble(parts[3]);
                    if (Double.isFinite(inverse) && inverse >= 1 && value > 0)
                    {
                        x.add(Math.log10(inverse));
                        y.add(value);
                    }
                }
                catch (final NumberFormatException ex)
                {
                    // the header line
                }
            }
            if (!x.isEmpty())
            {
                chart.addSeries(entry.getKey(), x, y).setMarker(SeriesMarkers.NONE);
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String percentileLabel(final Double log10Inverse)
    {
        // Only whole decades get a label (0%, 90%, 99%, 99.9%, ...): between them the percentile has no short name.
        final long nines = Math.round(log10Inverse);
        if (Math.abs(log10Inverse - nines) > 1e-6 || nines < 0)
        {
            return "";
        }
        final double percentile = 100 * (1 - Math.pow(10, -nines));
        return String.format(java.util.Locale.ROOT, "%." + Math.max(0, nines - 2) + "f%%", percentile);
    }
}
