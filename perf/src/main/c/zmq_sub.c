/*
 * The libzmq C subscriber baseline: a SUB socket on every topic, a blocking receive per message, one-way latency
 * from the payload's send time (and from the oldest update's intended time) recorded for each update it carries,
 * after a warm-up. It reads RawZmq's and zmq_pub's messages alike ([topic][payload] or a lone payload).
 *
 *   zmq_sub --endpoint tcp://127.0.0.1:5601 --duration 73s --warmup 3s [--hgrm FILE] [--rcvhwm N] [--rcvbuf B]
 *           [--io-threads N]
 *
 * Stdout's last line is a JSON summary in the form of the Java baselines' (received, latency_us,
 * latencyFromSource_us, measured.updatesPerSecond); --hgrm writes the percentile distribution (microseconds).
 */
#include "baseline.h"

#include <zmq.h>

#define PROGRAM "zmq_sub"
#define RECEIVE_TIMEOUT_MS 100

static const char *const OPTIONS[] = {"endpoint", "duration", "warmup", "hgrm", "rcvhwm", "rcvbuf",
    "io-threads", NULL};

static histogram send_latency;
static histogram source_latency;
/* Every second of the run, warm-up included: how the tail evolves from start-up to steady state. */
#define MAX_SECONDS 3600
static histogram second_latency;
static int64_t second_p99[MAX_SECONDS];
static int64_t second_max[MAX_SECONDS];
static int seconds;

static void close_second(void)
{
    second_p99[seconds] = histogram_percentile(&second_latency, 99);
    second_max[seconds] = second_latency.total ? highest_equivalent(second_latency.max) : 0;
    memset(&second_latency, 0, sizeof second_latency);
    seconds++;
}

static void print_seconds(const char *name, const int64_t *values)
{
    printf("\"%s\":[", name);
    for (int i = 0; i < seconds; i++)
    {
        printf("%s%" PRId64, i ? "," : "", (values[i] + 500) / 1000);
    }
    printf("]");
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
    const int64_t duration_ns = parse_duration(PROGRAM, arg(argc, argv, "duration", "60s"));
    const int64_t warmup_ns = parse_duration(PROGRAM, arg(argc, argv, "warmup", "0s"));
    const char *hgrm = arg(argc, argv, "hgrm", NULL);

    void *context = zmq_ctx_new();
    const char *io_threads = arg(argc, argv, "io-threads", NULL);
    if (io_threads)
    {
        zmq_ctx_set(context, ZMQ_IO_THREADS, parse_int(PROGRAM, "--io-threads", io_threads));
    }
    void *socket = zmq_socket(context, ZMQ_SUB);
    set_option(socket, ZMQ_RCVHWM, arg(argc, argv, "rcvhwm", NULL), "--rcvhwm");
    set_option(socket, ZMQ_RCVBUF, arg(argc, argv, "rcvbuf", NULL), "--rcvbuf");
    const int timeout = RECEIVE_TIMEOUT_MS;
    zmq_setsockopt(socket, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(socket, ZMQ_SUBSCRIBE, "", 0);
    if (zmq_connect(socket, endpoint) != 0)
    {
        die(PROGRAM, "cannot connect", endpoint);
    }

    const int64_t started_ns = mono_ns();
    /* The warm-up counts from the first message, as feed subscribe's and BaselineStats' do: a subscriber started
       before its publisher must not count the publisher's first seconds as steady state. */
    int64_t warmup_end_ns = -1;
    int64_t received = 0;
    int64_t measured_from = -1;
    int64_t measured_from_ns = 0;
    int64_t last_receive_ns = 0;
    int64_t bad_frames = 0;
    zmq_msg_t frame;
    zmq_msg_init(&frame);
    while (mono_ns() - started_ns < duration_ns)
    {
        if (zmq_msg_recv(&frame, socket, 0) < 0)
        {
            if (zmq_errno() == EAGAIN || zmq_errno() == EINTR)
            {
                continue;
            }
            die(PROGRAM, "receive failed", zmq_strerror(zmq_errno()));
        }
        while (zmq_msg_more(&frame))
        {
            /* The topic frame: the payload is the last frame. */
            zmq_msg_recv(&frame, socket, 0);
        }
        const int64_t now_epoch_ns = epoch_ns();
        if (zmq_msg_size(&frame) < PAYLOAD_HEADER_BYTES)
        {
            bad_frames++;
            continue;
        }
        int64_t send_ns;
        int64_t intended_ns;
        int32_t updates;
        const unsigned char *data = zmq_msg_data(&frame);
        memcpy(&send_ns, data, 8);
        memcpy(&intended_ns, data + 8, 8);
        memcpy(&updates, data + 16, 4);
        if (updates == END_OF_RUN)
        {
            break;
        }
        received += updates;
        const int64_t now_ns = mono_ns();
        if (warmup_end_ns < 0)
        {
            warmup_end_ns = now_ns + warmup_ns;
        }
        last_receive_ns = now_ns;
        while (seconds < MAX_SECONDS && now_ns - started_ns >= (int64_t)(seconds + 1) * 1000000000LL)
        {
            close_second();
        }
        histogram_record(&second_latency, now_epoch_ns - send_ns, updates);
        if (now_ns < warmup_end_ns)
        {
            continue;
        }
        if (measured_from < 0)
        {
            measured_from = received - updates;
            measured_from_ns = now_ns;
        }
        histogram_record(&send_latency, now_epoch_ns - send_ns, updates);
        histogram_record(&source_latency, now_epoch_ns - intended_ns, updates);
    }
    zmq_msg_close(&frame);

    if (hgrm && histogram_write_hgrm(&send_latency, hgrm) != 0)
    {
        fprintf(stderr, "%s: cannot write %s: %s\n", PROGRAM, hgrm, strerror(errno));
    }
    printf("{\"system\":\"libzmq-c\",\"received\":%" PRId64 ",\"gapsDetected\":0,\"decodeErrors\":%" PRId64
        ",\"latency_us\":", received, bad_frames);
    histogram_json(stdout, &send_latency);
    printf(",\"latencyFromSource_us\":");
    histogram_json(stdout, &source_latency);
    printf(",\"measured\":{");
    if (measured_from >= 0 && last_receive_ns > measured_from_ns)
    {
        printf("\"updatesPerSecond\":%.0f", (double)(received - measured_from) * 1e9 /
            (double)(last_receive_ns - measured_from_ns));
    }
    if (seconds < MAX_SECONDS && second_latency.total > 0)
    {
        close_second();
    }
    printf("},\"perSecondFromStart_us\":{");
    print_seconds("p99", second_p99);
    printf(",");
    print_seconds("max", second_max);
    printf("}}\n");
    fflush(stdout);
    const int linger = 0;
    zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
    zmq_close(socket);
    zmq_ctx_term(context);
    return 0;
}
