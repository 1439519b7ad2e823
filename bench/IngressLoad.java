import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
        System.exit(new IngressLoad(options).run());
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
            Worker worker = new Worker(i, measureFrom, end, duplicateShare);
            workers.add(worker);
            worker.thread.start();
        }
        for (Worker worker : workers) {
            worker.thread.join();
        }
        double generatorCores = (processCpuNanos() - cpuAtStart) / (double) (System.nanoTime() - start);
        long queuedAfter = queuedMessages();
        report(workers, concurrency, measureNanos, queuedAfter - queuedBefore);
        // on a machine shared with the service, what the generator burns the service does not get
        System.out.printf("generator CPU: %.2f cores over the whole run%n", generatorCores);
        return acceptedIds.size() == queuedAfter - queuedBefore && anomalies.get() == 0 ? 0 : 2;
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
        System.out.printf("reconciliation: unique accepted events=%d queued messages delta=%d -> %s%n",
                acceptedIds.size(), queuedDelta, acceptedIds.size() == queuedDelta ? "OK" : "MISMATCH");
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private final class Worker {
        final Thread thread;
        final long measureFrom;
        final long end;
        final double duplicateShare;
        final String prefix;
        long requests;
        long accepted;
        long duplicates;
        long inFlight;
        long connectionErrors;
        final Map<Integer, Long> errors = new HashMap<>();
        long[] latencies = new long[1 << 16];
        int latencyCount;
        KeepAliveConnection connection;
        // one initialised Mac per worker: looking one up per request costs more than the HMAC
        final Mac mac = newMac(key);

        Worker(int index, long measureFrom, long end, double duplicateShare) {
            this.measureFrom = measureFrom;
            this.end = end;
            this.duplicateShare = duplicateShare;
            this.prefix = "bench_" + Long.toHexString(System.currentTimeMillis()) + "_" + index + "_";
            this.thread = new Thread(this::loop, "load-" + index);
        }

        void loop() {
            long sequence = 0;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    return;
                }
                String[] event = null;
                long known = sentCount.get();
                if (known > 0 && random.nextDouble() < duplicateShare) {
                    event = sent.get((int) (random.nextLong(Math.min(known, sent.length()))));
                }
                boolean duplicate = event != null;
                if (!duplicate) {
                    String id = prefix + (sequence++);
                    event = new String[] {id, body(id, random.nextBoolean() ? "voice" : "digital")};
                }
                long started = System.nanoTime();
                int status;
                String reply;
                try {
                    if (connection == null) {
                        connection = new KeepAliveConnection(webhookUri);
                    }
                    KeepAliveConnection.Response response = connection.post(webhookUri.getRawPath(),
                            headers(mac, event[0], event[1]), event[1].getBytes(StandardCharsets.UTF_8));
                    status = response.status();
                    reply = response.body();
                    if (response.closed()) {
                        // the server ends keep-alive connections after a number of requests
                        connection = null;
                    }
                } catch (Exception e) {
                    status = -1;
                    reply = "";
                    if (connection != null) {
                        connection.close();
                    }
                    connection = null;
                }
                long latency = System.nanoTime() - started;
                boolean measured = started >= measureFrom;
                if (status == 200 && reply.contains("\"ACCEPTED\"")) {
                    if (!acceptedIds.add(event[0])) {
                        anomalies.incrementAndGet();
                    }
                    if (!duplicate) {
                        sent.set((int) (sentCount.getAndIncrement() % sent.length()), event);
                    }
                }
                if (!measured) {
                    continue;
                }
                requests++;
                record(latency);
                if (status == 200 && reply.contains("\"ACCEPTED\"")) {
                    accepted++;
                } else if (status == 200 && reply.contains("\"DUPLICATE\"")) {
                    duplicates++;
                } else if (status == 409) {
                    inFlight++;
                } else if (status < 0) {
                    connectionErrors++;
                } else {
                    errors.merge(status, 1L, Long::sum);
                }
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
     * A minimal HTTP/1.1 keep-alive client: the JDK's HttpClient costs several times more CPU per
     * request, and on a 2-core machine that the service shares, the generator's CPU is the
     * service's loss.
     */
    static final class KeepAliveConnection {

        record Response(int status, String body, boolean closed) {
        }

        private final Socket socket;
        private final OutputStream out;
        private final ReplyReader in;
        private final String host;

        KeepAliveConnection(URI uri) throws IOException {
            socket = new Socket(uri.getHost(), uri.getPort());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            in = new ReplyReader(socket.getInputStream());
            host = uri.getHost() + ":" + uri.getPort();
        }

        Response post(String path, String headers, byte[] body) throws IOException {
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            long length = -1;
            boolean chunked = false;
            boolean closed = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closed = true;
                }
            }
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                        size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                    byte[] chunk = new byte[size];
                    in.readFully(chunk);
                    content.write(chunk);
                    line();
                }
                line();
            } else if (length > 0) {
                byte[] all = new byte[(int) length];
                in.readFully(all);
                content.write(all);
            }
            if (closed) {
                close();
            }
            return new Response(status, content.toString(StandardCharsets.UTF_8), closed);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new EOFException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /**
     * Buffered reads without the per-byte locking of {@code BufferedInputStream}: replies are
     * parsed a byte at a time, and the generator's CPU is the service's loss.
     */
    static final class ReplyReader {

        private final InputStream source;
        private final byte[] buffer = new byte[8192];
        private int position;
        private int limit;

        ReplyReader(InputStream source) {
            this.source = source;
        }

        int read() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xff;
        }

        void readFully(byte[] target) throws IOException {
            int copied = 0;
            while (copied < target.length) {
                if (position == limit && !fill()) {
                    throw new EOFException("connection closed");
                }
                int n = Math.min(target.length - copied, limit - position);
                System.arraycopy(buffer, position, target, copied, n);
                position += n;
                copied += n;
            }
        }

        private boolean fill() throws IOException {
            int n = source.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
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
