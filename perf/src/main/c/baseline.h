/*
 * What the libzmq C baselines share: the frame layout (the same as RawZmq's, so a JeroMQ end and a libzmq end can
 * be paired), clocks, argument parsing, and a latency histogram with HdrHistogram's bucket layout (1 ns to 1 hour,
 * 3 significant digits), so that its percentiles read like the Java baselines' and its .hgrm file plots like theirs.
 *
 *   payload: [sendEpochNs int64][intendedEpochNs int64][updates int32][padding to updates * update-bytes]
 *            little-endian (x86), updates == -1 marks the end of the run; frame 0 is the topic when there are topics
 */
#ifndef FEED_BASELINE_H
#define FEED_BASELINE_H

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAYLOAD_HEADER_BYTES 20
#define END_OF_RUN (-1)

static inline void die(const char *program, const char *what, const char *detail)
{
    fprintf(stderr, "%s: %s%s%s\n", program, what, detail ? ": " : "", detail ? detail : "");
    exit(2);
}

static inline int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline int64_t epoch_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* "100k", "1M", "250000" (updates per second). */
static inline int64_t parse_rate(const char *program, const char *text)
{
    char *end;
    const double value = strtod(text, &end);
    double scale = 1;
    if (*end == 'k' || *end == 'K') { scale = 1e3; end++; }
    else if (*end == 'm' || *end == 'M') { scale = 1e6; end++; }
    if (end == text || *end != '\0' || value <= 0)
    {
        die(program, "bad rate (use 100k, 1M, 250000)", text);
    }
    return (int64_t)(value * scale);
}

/* "13s", "500ms", "2m" to nanoseconds. */
static inline int64_t parse_duration(const char *program, const char *text)
{
    char *end;
    const double value = strtod(text, &end);
    double scale;
    if (strcmp(end, "ms") == 0) { scale = 1e6; }
    else if (strcmp(end, "s") == 0) { scale = 1e9; }
    else if (strcmp(end, "m") == 0) { scale = 60e9; }
    else { scale = -1; }
    if (end == text || scale < 0 || value < 0)
    {
        die(program, "bad duration (use 500ms, 13s, 2m)", text);
    }
    return (int64_t)(value * scale);
}

static inline int parse_int(const char *program, const char *name, const char *text)
{
    char *end;
    const long value = strtol(text, &end, 10);
    if (end == text || *end != '\0' || value < 0 || value > 1000000000L)
    {
        die(program, name, text);
    }
    return (int)value;
}

/* --name value pairs; returns the value of --name or the default. */
static const char *arg(int argc, char **argv, const char *name, const char *default_value)
{
    for (int i = 1; i + 1 < argc; i++)
    {
        if (argv[i][0] == '-' && argv[i][1] == '-' && strcmp(argv[i] + 2, name) == 0)
        {
            return argv[i + 1];
        }
    }
    return default_value;
}

static inline void check_args(const char *program, int argc, char **argv, const char *const *names)
{
    for (int i = 1; i < argc; i += 2)
    {
        int known = 0;
        for (const char *const *n = names; *n; n++)
        {
            known |= argv[i][0] == '-' && argv[i][1] == '-' && strcmp(argv[i] + 2, *n) == 0;
        }
        if (!known || i + 1 >= argc)
        {
            die(program, known ? "missing value for" : "unknown option", argv[i]);
        }
    }
}

/* HdrHistogram's layout for lowest 1, highest 1 hour, 3 significant digits: 2048 sub-buckets, unit 1 ns. */
#define SUB_BUCKET_HALF_COUNT_MAGNITUDE 10
#define SUB_BUCKET_HALF_COUNT 1024
#define SUB_BUCKET_COUNT 2048
#define SUB_BUCKET_MASK ((int64_t)SUB_BUCKET_COUNT - 1)
#define HIGHEST_TRACKABLE_NS 3600000000000LL
#define BUCKET_COUNT 32
#define COUNTS_LENGTH ((BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT)

typedef struct
{
    int64_t counts[COUNTS_LENGTH];
    int64_t total;
    int64_t max;
    int64_t min;
} histogram;

static inline int bucket_index(int64_t value)
{
    return (64 - __builtin_clzll((uint64_t)(value | SUB_BUCKET_MASK))) - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
}

static inline int counts_index_of(int64_t value)
{
    const int bucket = bucket_index(value);
    const int sub_bucket = (int)(value >> bucket);
    return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (sub_bucket - SUB_BUCKET_HALF_COUNT);
}

static inline int64_t value_from_index(int index)
{
    int bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
    int sub_bucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
    if (bucket < 0)
    {
        sub_bucket -= SUB_BUCKET_HALF_COUNT;
        bucket = 0;
    }
    return (int64_t)sub_bucket << bucket;
}

static inline int64_t highest_equivalent(int64_t value)
{
    const int bucket = bucket_index(value);
    const int sub_bucket = (int)(value >> bucket);
    const int adjusted = sub_bucket >= SUB_BUCKET_COUNT ? bucket + 1 : bucket;
    const int64_t lowest = (int64_t)sub_bucket << bucket;
    return lowest + ((int64_t)1 << adjusted) - 1;
}

static inline void histogram_record(histogram *h, int64_t value, int64_t count)
{
    if (value < 1) { value = 1; }
    if (value > HIGHEST_TRACKABLE_NS) { value = HIGHEST_TRACKABLE_NS; }
    h->counts[counts_index_of(value)] += count;
    h->total += count;
    if (value > h->max) { h->max = value; }
    if (h->min == 0 || value < h->min) { h->min = value; }
}

static inline int64_t histogram_percentile(const histogram *h, double percentile)
{
    if (h->total == 0)
    {
        return 0;
    }
    int64_t at = (int64_t)((percentile / 100.0) * (double)h->total + 0.999999999);
    if (at < 1) { at = 1; }
    int64_t running = 0;
    for (int i = 0; i < COUNTS_LENGTH; i++)
    {
        running += h->counts[i];
        if (running >= at)
        {
            return highest_equivalent(value_from_index(i));
        }
    }
    return highest_equivalent(h->max);
}

static inline double micros(int64_t ns)
{
    return (double)((ns + 50) / 100) / 10.0;
}

/* {"p50":..,"p90":..,"p99":..,"p999":..,"p9999":..,"max":..,"count":..} in microseconds, as LatencyReport writes. */
static inline void histogram_json(FILE *out, const histogram *h)
{
    fprintf(out, "{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"p9999\":%.1f,\"max\":%.1f,\"count\":%" PRId64
        "}", micros(histogram_percentile(h, 50)), micros(histogram_percentile(h, 90)),
        micros(histogram_percentile(h, 99)), micros(histogram_percentile(h, 99.9)),
        micros(histogram_percentile(h, 99.99)), h->total ? micros(highest_equivalent(h->max)) : 0.0, h->total);
}

/* The percentile distribution in the layout of HdrHistogram's outputPercentileDistribution (microseconds). */
static inline int histogram_write_hgrm(const histogram *h, const char *path)
{
    FILE *out = fopen(path, "w");
    if (!out)
    {
        return -1;
    }
    fprintf(out, "%12s %14s %10s %14s\n\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)");
    double level = 0;
    while (h->total > 0)
    {
        const int64_t value = histogram_percentile(h, level);
        int64_t count = 0;
        for (int i = 0; i < COUNTS_LENGTH && value_from_index(i) <= value; i++)
        {
            count += h->counts[i];
        }
        if (level >= 100.0 || count >= h->total)
        {
            fprintf(out, "%12.3f %2.12f %10" PRId64 "\n", highest_equivalent(h->max) / 1000.0, 1.0, h->total);
            break;
        }
        fprintf(out, "%12.3f %2.12f %10" PRId64 " %14.2f\n", value / 1000.0, level / 100.0, count,
            1.0 / (1.0 - level / 100.0));
        /* HdrHistogram's ticks: 5 per halving of the distance to 100%. */
        int halvings = 0;
        for (double ratio = 100.0 / (100.0 - level); ratio >= 2.0 && halvings < 60; ratio /= 2.0)
        {
            halvings++;
        }
        level += 100.0 / (5.0 * (double)((int64_t)1 << (halvings + 1)));
    }
    fprintf(out, "#[Max     = %12.3f, Total count    = %12" PRId64 "]\n", highest_equivalent(h->max) / 1000.0,
        h->total);
    fprintf(out, "#[Buckets = %12d, SubBuckets     = %12d]\n", BUCKET_COUNT, SUB_BUCKET_COUNT);
    return fclose(out);
}

#endif
