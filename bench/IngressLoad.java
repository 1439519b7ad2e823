import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Load generator for the ccbridge webhook ingress. Signs unique Standard Webhooks events, mixes
 * in re-deliveries of events already accepted, posts them at a fixed concurrency for a fixed
 * time, and prints throughput, latency percentiles, errors and a reconciliation of accepted
 * events against the messages that arrived in the queues.
 *
 * Run with the JDK's single-file launcher: java bench/IngressLoad.java --help
 */
public class IngressLoad {

    private static final Pattern QUEUE = Pattern.compile(
            "\"name\":\"(ccbridge\\.(voice|digital)\\.interactions)\",\"messages\":(-?\\d+)");

    private final Map<String, String> options;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI webhookUri;
    private final byte[] key;
    private final String padding;

    // events accepted so far, re-sent as duplicates; a ring so that memory stays flat
    private final AtomicReferenceArray<String[]> sent = new AtomicReferenceArray<>(65_536);
    private final AtomicLong sentCount = new AtomicLong();
    private final Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong anomalies = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();

    IngressLoad(Map<String, String> options) {
        this.options = options;
        this.webhookUri = URI.create(option("url") + "/webhooks/" + option("source"));
        this.key = Base64.getDecoder().decode(option("secret").replaceFirst("^whsec_", ""));
        this.padding = "x".repeat(Math.max(0, Integer.parseInt(option("body-bytes")) - 180));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of(
                "url", "http://127.0.0.1:8080", "source", "demo",
                "secret", "whsec_Y2NicmlkZ2UtZGV2ZWxvcG1lbnQtc2VjcmV0LTAx",
                "concurrency", "64", "duration", "30", "warmup", "5", "duplicates", "0.10",
                "body-bytes", "512", "admin-token", ""));
        for (int i = 0; i < args.length; i++) {
            String name = args[i].replaceFirst("^--", "");
            if (name.equals("help")) {
                System.out.println("options: " + new TreeMap<>(options) + "  --self-test");
                return;
            }
            if (name.equals("self-test")) {
                System.exit(selfTest() ? 0 : 1);
            }
            if (!options.containsKey(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
            }
            options.put(name, args[++i]);
        }
        try {
            System.exit(new IngressLoad(options).run());
        } catch (java.net.ConnectException e) {
            System.err.println("no ccbridge answers at " + options.get("url") + ": start it first (see bench/README.md)");
            System.exit(1);
        }
    }

    /** The published Standard Webhooks test vector. */
    static boolean selfTest() {
        byte[] key = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String signature = sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
        boolean ok = signature.equals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        System.out.println("self-test: " + (ok ? "OK" : "FAILED " + signature));
        return ok;
    }

    int run() throws Exception {
        int concurrency = Integer.parseInt(option("concurrency"));
        long warmupNanos = Duration.ofSeconds(Long.parseLong(option("warmup"))).toNanos();
        long measureNanos = Duration.ofSeconds(Long.parseLong(option("duration"))).toNanos();
        double duplicateShare = Double.parseDouble(option("duplicates"));

        long queuedBefore = queuedMessages();
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + measureNanos;

        long cpuAtStart = processCpuNanos();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(new Worker(i, measureFrom, end, duplicateShare));
        }
        drive(workers, end);
        double generatorCores = (processCpuNanos() - cpuAtStart) / (double) (System.nanoTime() - start);
        long queuedAfter = queuedMessages();
        report(workers, concurrency, measureNanos, queuedAfter - queuedBefore);
        // on a machine shared with the service, what the generator burns the service does not get
        System.out.printf("generator CPU: %.2f cores over the whole run%n", generatorCores);
        long copies = queuedAfter - queuedBefore - acceptedIds.size();
        return copies >= 0 && copies <= unavailable.get() && anomalies.get() == 0 ? 0 : 2;
    }

    private void report(List<Worker> workers, int concurrency, long measureNanos, long queuedDelta) {
        long requests = 0;
        long accepted = 0;
        long duplicates = 0;
        long inFlight = 0;
        long connectionErrors = 0;
        Map<Integer, Long> errors = new TreeMap<>();
        int samples = 0;
        for (Worker w : workers) {
            requests += w.requests;
            accepted += w.accepted;
            duplicates += w.duplicates;
            inFlight += w.inFlight;
            connectionErrors += w.connectionErrors;
            w.errors.forEach((status, n) -> errors.merge(status, n, Long::sum));
            samples += w.latencyCount;
        }
        long[] latencies = new long[samples];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, latencies, at, w.latencyCount);
            at += w.latencyCount;
        }
        Arrays.sort(latencies);
        double seconds = measureNanos / 1e9;
        System.out.printf("target: %s, concurrency %d, measured %.0f s after %s s warm-up%n",
                webhookUri, concurrency, seconds, option("warmup"));
        System.out.printf("requests (measured): %d%n", requests);
        System.out.printf("accepted (measured): %d%n", accepted);
        System.out.printf("accepted events/s: %.0f%n", accepted / seconds);
        System.out.printf("duplicate replies: %d%n", duplicates);
        System.out.printf("in-flight 409s: %d%n", inFlight);
        System.out.printf("errors by status: %s, connection errors: %d%n", errors, connectionErrors);
        System.out.printf("ack latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%n",
                percentile(latencies, 0.50), percentile(latencies, 0.95), percentile(latencies, 0.99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6);
        if (anomalies.get() > 0) {
            System.out.printf("anomaly: %d ACCEPTED replies for ids already accepted%n", anomalies.get());
        }
        // a 503 after the broker took the message (the confirm came after the ack budget) leaves
        // an at-least-once copy in the queue: more messages than accepted ids, never fewer
        long copies = queuedDelta - acceptedIds.size();
        String verdict = copies == 0 ? "OK"
                : copies > 0 && copies <= unavailable.get() ? "OK (" + copies + " at-least-once copies of 503 answers)"
                : "MISMATCH";
        System.out.printf("reconciliation: unique accepted events=%d queued messages delta=%d 503s=%d -> %s%n",
                acceptedIds.size(), queuedDelta, unavailable.get(), verdict);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /**
     * Drives every connection from this one thread with a selector: a thread per connection
     * costs a wake-up per reply, and on a 2-core machine shared with the service the generator's
     * CPU is the service's loss. A connection carries one delivery at a time (HTTP/1.1 keep-alive,
     * no pipelining), so the concurrency is the number of connections.
     */
    private void drive(List<Worker> workers, long end) throws IOException {
        InetSocketAddress address = new InetSocketAddress(webhookUri.getHost(), webhookUri.getPort());
        try (Selector selector = Selector.open()) {
            for (Worker worker : workers) {
                worker.sendNext(selector, address);
            }
            long nextTimeoutCheck = System.nanoTime();
            while (System.nanoTime() < end || workers.stream().anyMatch(Worker::busy)) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Worker worker = (Worker) key.attachment();
                    worker.onReady(key);
                    if (!worker.busy() && System.nanoTime() < end) {
                        worker.sendNext(selector, address);
                    }
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                if (now >= nextTimeoutCheck) {
                    nextTimeoutCheck = now + 100_000_000L;
                    for (Worker worker : workers) {
                        if (worker.timedOut(now)) {
                            worker.failConnection();
                        }
                        // a worker whose connection failed starts again, as a platform retries
                        if (!worker.busy() && now < end) {
                            worker.sendNext(selector, address);
                        }
                    }
                }
            }
        }
    }

    /** One keep-alive connection, the delivery in flight on it, and its statistics. */
    private final class Worker {
        static final long TIMEOUT_NANOS = 30_000_000_000L;

        final long measureFrom;
        final long end;
        final double duplicateShare;
        final String prefix;
        long sequence;
        long requests;
        long accepted;
        long duplicates;
        long inFlight;
        long connectionErrors;
        final Map<Integer, Long> errors = new HashMap<>();
        long[] latencies = new long[1 << 16];
        int latencyCount;
        // one initialised Mac per worker: looking one up per request costs more than the HMAC
        final Mac mac = newMac(key);
        final ReplyParser reply = new ReplyParser();
        final ByteBuffer readBuffer = ByteBuffer.allocate(8192);
        SocketChannel channel;
        SelectionKey selectionKey;
        ByteBuffer pendingWrite;
        String[] event;
        boolean duplicate;
        long started;

        Worker(int index, long measureFrom, long end, double duplicateShare) {
            this.measureFrom = measureFrom;
            this.end = end;
            this.duplicateShare = duplicateShare;
            this.prefix = "bench_" + Long.toHexString(System.currentTimeMillis()) + "_" + index + "_";
        }

        boolean busy() {
            return event != null;
        }

        boolean timedOut(long now) {
            return busy() && now - started > TIMEOUT_NANOS;
        }

        void sendNext(Selector selector, InetSocketAddress address) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            event = null;
            long known = sentCount.get();
            if (known > 0 && random.nextDouble() < duplicateShare) {
                event = sent.get((int) (random.nextLong(Math.min(known, sent.length()))));
            }
            duplicate = event != null;
            if (!duplicate) {
                String id = prefix + (sequence++);
                event = new String[] {id, body(id, random.nextBoolean() ? "voice" : "digital")};
            }
            started = System.nanoTime();
            try {
                if (channel == null) {
                    channel = SocketChannel.open(address);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    channel.configureBlocking(false);
                    selectionKey = channel.register(selector, SelectionKey.OP_READ, this);
                }
                byte[] body = event[1].getBytes(StandardCharsets.UTF_8);
                byte[] head = ("POST " + webhookUri.getRawPath() + " HTTP/1.1\r\nHost: " + webhookUri.getHost() + ":"
                        + webhookUri.getPort() + "\r\n" + headers(mac, event[0], event[1]) + "Content-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                pendingWrite = ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
                reply.reset();
                write();
            } catch (IOException e) {
                failConnection();
            }
        }

        void onReady(SelectionKey key) {
            try {
                if (key.isValid() && key.isWritable()) {
                    write();
                }
                if (key.isValid() && key.isReadable()) {
                    read();
                }
            } catch (IOException | RuntimeException e) {
                failConnection();
            }
        }

        private void write() throws IOException {
            channel.write(pendingWrite);
            selectionKey.interestOps(pendingWrite.hasRemaining()
                    ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private void read() throws IOException {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                throw new EOFException("connection closed");
            }
            if (!busy()) {
                return;
            }
            if (reply.feed(readBuffer.array(), n)) {
                complete(reply.status(), reply.body());
                if (reply.closes()) {
                    closeChannel();
                }
            }
        }

        void failConnection() {
            if (busy()) {
                complete(-1, "");
            }
            closeChannel();
        }

        private void closeChannel() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            channel = null;
            selectionKey = null;
        }

        private void complete(int status, String replyBody) {
            long latency = System.nanoTime() - started;
            boolean isAccepted = status == 200 && replyBody.contains("\"ACCEPTED\"");
            if (isAccepted) {
                if (!acceptedIds.add(event[0])) {
                    anomalies.incrementAndGet();
                }
                if (!duplicate) {
                    sent.set((int) (sentCount.getAndIncrement() % sent.length()), event);
                }
            }
            event = null;
            if (status == 503) {
                unavailable.incrementAndGet();
            }
            if (started < measureFrom) {
                return;
            }
            requests++;
            record(latency);
            if (isAccepted) {
                accepted++;
            } else if (status == 200 && replyBody.contains("\"DUPLICATE\"")) {
                duplicates++;
            } else if (status == 409) {
                inFlight++;
            } else if (status < 0) {
                connectionErrors++;
            } else {
                errors.merge(status, 1L, Long::sum);
            }
        }

        void record(long latency) {
            if (latencyCount == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[latencyCount++] = latency;
        }
    }

    private String body(String id, String channel) {
        return "{\"type\":\"interaction.wrapup\",\"timestamp\":\"" + Instant.now() + "\",\"data\":{\"channel\":\""
                + channel + "\",\"contactId\":\"c-" + id.hashCode() + "\",\"disposition\":\"resolved\",\"notes\":\""
                + padding + "\"}}";
    }

    private static String headers(Mac mac, String id, String body) {
        long timestamp = Instant.now().getEpochSecond();
        return "Content-Type: application/json\r\nwebhook-id: " + id + "\r\nwebhook-timestamp: " + timestamp
                + "\r\nwebhook-signature: " + sign(mac, id, timestamp, body.getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }

    /**
     * An HTTP/1.1 reply assembled from the bytes as they arrive: status, headers, then a body of
     * Content-Length bytes or in chunks.
     */
    static final class ReplyParser {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int status;
        private String body;
        private boolean closes;

        void reset() {
            bytes.reset();
            status = 0;
            body = null;
            closes = false;
        }

        int status() {
            return status;
        }

        String body() {
            return body;
        }

        boolean closes() {
            return closes;
        }

        /** Adds bytes; true once the reply is complete. */
        boolean feed(byte[] data, int length) {
            bytes.write(data, 0, length);
            byte[] all = bytes.toByteArray();
            int headEnd = indexOf(all, 0, "\r\n\r\n");
            if (headEnd < 0) {
                return false;
            }
            String[] head = new String(all, 0, headEnd, StandardCharsets.US_ASCII).split("\r\n");
            long contentLength = -1;
            boolean chunked = false;
            for (int i = 1; i < head.length; i++) {
                String lower = head[i].toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    contentLength = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closes = true;
                }
            }
            int bodyStart = headEnd + 4;
            String content;
            if (chunked) {
                content = dechunk(all, bodyStart);
                if (content == null) {
                    return false;
                }
            } else {
                long available = all.length - bodyStart;
                if (contentLength > available) {
                    return false;
                }
                content = new String(all, bodyStart, (int) Math.max(0, contentLength), StandardCharsets.UTF_8);
            }
            status = Integer.parseInt(head[0].split(" ", 3)[1]);
            body = content;
            return true;
        }

        private static String dechunk(byte[] all, int from) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            int at = from;
            while (true) {
                int lineEnd = indexOf(all, at, "\r\n");
                if (lineEnd < 0) {
                    return null;
                }
                int size = Integer.parseInt(new String(all, at, lineEnd - at, StandardCharsets.US_ASCII)
                        .split(";")[0].trim(), 16);
                at = lineEnd + 2;
                if (size == 0) {
                    return indexOf(all, at, "\r\n") < 0 ? null : content.toString(StandardCharsets.UTF_8);
                }
                if (all.length < at + size + 2) {
                    return null;
                }
                content.write(all, at, size);
                at += size + 2;
            }
        }

        private static int indexOf(byte[] data, int from, String ascii) {
            byte[] target = ascii.getBytes(StandardCharsets.US_ASCII);
            outer:
            for (int i = from; i <= data.length - target.length; i++) {
                for (int j = 0; j < target.length; j++) {
                    if (data[i + j] != target[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private long queuedMessages() throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(option("url") + "/admin/queues"))
                .timeout(Duration.ofSeconds(30)).GET();
        if (!option("admin-token").isEmpty()) {
            request.header("X-Admin-Token", option("admin-token"));
        }
        String json = http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        long total = 0;
        Matcher matcher = QUEUE.matcher(json);
        while (matcher.find()) {
            total += Long.parseLong(matcher.group(3));
        }
        return total;
    }

    static String sign(byte[] key, String id, long timestamp, byte[] body) {
        return sign(newMac(key), id, timestamp, body);
    }

    static String sign(Mac mac, String id, long timestamp, byte[] body) {
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String option(String name) {
        return options.get(name);
    }
}
