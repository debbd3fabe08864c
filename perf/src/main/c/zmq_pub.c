/*
 * The libzmq C publisher baseline: a PUB socket paced at a fixed offered rate that sleeps while it is ahead of
 * schedule and, at each wake-up, sends per topic all the updates that fell due (update i belongs to topic
 * i mod topics), in messages of at most --batch updates: [topic][payload], the payload laid out as in baseline.h with
 * --update-bytes per update (the feed's quote size). What the feed's publisher does, with nothing but libzmq.
 *
 *   zmq_pub --endpoint tcp://127.0.0.1:5601 --rate 100k --duration 13s --topics EURUSD,GBPUSD,...
 *           [--update-bytes 56] [--batch 1] [--start-delay 1s] [--sndhwm N] [--sndbuf B] [--io-threads N]
 *
 * Stderr gets "sending ended" when the paced loop ends (the harness's marker), stdout a JSON summary last.
 */
#include "baseline.h"

#include <zmq.h>

#define PROGRAM "zmq_pub"
#define MAX_TOPICS 4096
#define END_REPEATS 5

static const char *const OPTIONS[] = {"endpoint", "rate", "duration", "topics", "update-bytes", "batch",
    "start-delay", "sndhwm", "sndbuf", "io-threads", NULL};

static void put64(unsigned char *at, int64_t value)
{
    memcpy(at, &value, sizeof value);
}

static void put32(unsigned char *at, int32_t value)
{
    memcpy(at, &value, sizeof value);
}

static void send_or_die(void *socket, const void *data, size_t size, int flags)
{
    while (zmq_send(socket, data, size, flags) < 0)
    {
        if (zmq_errno() != EINTR)
        {
            die(PROGRAM, "send failed", zmq_strerror(zmq_errno()));
        }
    }
}

static void set_option(void *socket, int option, const char *value, const char *name)
{
    if (value)
    {
        const int number = parse_int(PROGRAM, name, value);
        if (zmq_setsockopt(socket, option, &number, sizeof number) != 0)
        {
            die(PROGRAM, name, zmq_strerror(zmq_errno()));
        }
    }
}

int main(int argc, char **argv)
{
    check_args(PROGRAM, argc, argv, OPTIONS);
    const char *endpoint = arg(argc, argv, "endpoint", "tcp://127.0.0.1:5601");
    const int64_t rate = parse_rate(PROGRAM, arg(argc, argv, "rate", "100k"));
    const int64_t duration_ns = parse_duration(PROGRAM, arg(argc, argv, "duration", "10s"));
    const int update_bytes = parse_int(PROGRAM, "--update-bytes", arg(argc, argv, "update-bytes", "56"));
    const int batch = parse_int(PROGRAM, "--batch", arg(argc, argv, "batch", "1"));
    const int64_t start_delay_ns = parse_duration(PROGRAM, arg(argc, argv, "start-delay", "1s"));
    if (batch < 1 || update_bytes < PAYLOAD_HEADER_BYTES)
    {
        die(PROGRAM, "--batch must be at least 1 and --update-bytes at least 20", NULL);
    }

    static char topic_list[65536];
    static const char *topics[MAX_TOPICS];
    static size_t topic_lengths[MAX_TOPICS];
    int topic_count = 0;
    snprintf(topic_list, sizeof topic_list, "%s", arg(argc, argv, "topics", "EURUSD"));
    for (char *save = NULL, *topic = strtok_r(topic_list, ",", &save); topic && topic_count < MAX_TOPICS;
        topic = strtok_r(NULL, ",", &save))
    {
        topics[topic_count] = topic;
        topic_lengths[topic_count++] = strlen(topic);
    }
    if (topic_count == 0)
    {
        die(PROGRAM, "--topics needs at least one topic", NULL);
    }

    void *context = zmq_ctx_new();
    const char *io_threads = arg(argc, argv, "io-threads", NULL);
    if (io_threads)
    {
        zmq_ctx_set(context, ZMQ_IO_THREADS, parse_int(PROGRAM, "--io-threads", io_threads));
    }
    void *socket = zmq_socket(context, ZMQ_PUB);
    set_option(socket, ZMQ_SNDHWM, arg(argc, argv, "sndhwm", NULL), "--sndhwm");
    set_option(socket, ZMQ_SNDBUF, arg(argc, argv, "sndbuf", NULL), "--sndbuf");
    if (zmq_bind(socket, endpoint) != 0)
    {
        die(PROGRAM, "cannot bind", endpoint);
    }
    const struct timespec delay = {start_delay_ns / 1000000000LL, start_delay_ns % 1000000000LL};
    nanosleep(&delay, NULL);

    unsigned char *payload = calloc((size_t)batch, (size_t)update_bytes);
    const double ns_per_update = 1e9 / (double)rate;
    const int64_t start_ns = mono_ns();
    const int64_t start_epoch_ns = epoch_ns();
    int64_t sent = 0;
    int64_t messages = 0;
    int64_t now_ns = start_ns;
    while (now_ns - start_ns < duration_ns)
    {
        const int64_t due = 1 + (int64_t)((double)(now_ns - start_ns) / ns_per_update);
        if (due <= sent)
        {
            /* Ahead of schedule: sleep until the next update falls due. */
            const int64_t wake_ns = start_ns + (int64_t)((double)sent * ns_per_update);
            const struct timespec until = {wake_ns / 1000000000LL, wake_ns % 1000000000LL};
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
            now_ns = mono_ns();
            continue;
        }
        const int per_round = topic_count < due - sent ? topic_count : (int)(due - sent);
        for (int t = 0; t < per_round; t++)
        {
            /* This topic's updates in [sent, due): sent + t, sent + t + topics, ... */
            int64_t first = sent + t;
            int64_t left = (due - first + topic_count - 1) / topic_count;
            while (left > 0)
            {
                const int count = left < batch ? (int)left : batch;
                put64(payload + 8, start_epoch_ns + (int64_t)((double)first * ns_per_update));
                put32(payload + 16, count);
                put64(payload, epoch_ns());
                const int topic = (int)(first % topic_count);
                send_or_die(socket, topics[topic], topic_lengths[topic], ZMQ_SNDMORE);
                send_or_die(socket, payload, (size_t)count * (size_t)update_bytes, 0);
                messages++;
                first += (int64_t)count * topic_count;
                left -= count;
            }
        }
        sent = due;
        now_ns = mono_ns();
    }
    const double elapsed = (double)(mono_ns() - start_ns) / 1e9;
    fprintf(stderr, "%s: sending ended after %" PRId64 " updates in %" PRId64 " messages\n", PROGRAM, sent,
        messages);

    put32(payload + 16, END_OF_RUN);
    for (int i = 0; i < END_REPEATS; i++)
    {
        send_or_die(socket, topics[0], topic_lengths[0], ZMQ_SNDMORE);
        send_or_die(socket, payload, (size_t)update_bytes, 0);
        const struct timespec pause = {0, 50000000L};
        nanosleep(&pause, NULL);
    }
    printf("{\"system\":\"libzmq-c\",\"published\":%" PRId64 ",\"messages\":%" PRId64 ",\"elapsedSeconds\":%.3f,"
        "\"libzmq\":\"%d.%d.%d\"}\n", sent, messages, elapsed, ZMQ_VERSION_MAJOR, ZMQ_VERSION_MINOR,
        ZMQ_VERSION_PATCH);
    fflush(stdout);
    free(payload);
    const int linger = 1000;
    zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
    zmq_close(socket);
    zmq_ctx_term(context);
    return 0;
}
