import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Customer notifications under load, in two phases that run against separate starts of ccbridge:
 *
 * <ul>
 * <li>{@code --mode post}: notifications accepted per second through {@code POST /notifications}
 * (relay off), with the API's latency, by {@code --senders} blocking clients; a share is sent
 * again with the same Idempotency-Key ({@code --duplicates}) and must be answered as a replay.</li>
 * <li>{@code --mode drain}: a fake provider in this process answers every message after
 * {@code --latency-ms}, deduplicating by idempotency key and counting deliveries; start ccbridge
 * with the relay on and it reports the outbox drain rate and a reconciliation: every notification
 * of the run delivered exactly once.</li>
 * </ul>
 *
 * <pre>
 * java bench/NotifyLoad.java --print-config     # ccbridge settings: the bench client and the fake provider
 * java bench/NotifyLoad.java --mode post --notifications 20000 --run r1
 * java bench/NotifyLoad.java --mode post --client raw --notifications 20000 --run r1   # a leaner client
 * java bench/NotifyLoad.java --mode post --batch 500 --notifications 100000 --run r2   # POST /notifications:batch
 * java bench/NotifyLoad.java --mode drain --notifications 20000 --run r1
 * </pre>
 */
public class NotifyLoad {

    private static final Pattern CUSTOMER = Pattern.compile("\"customerId\"\\s*:\\s*\"([^\"]+)\"");
    /** The bench client's API key; --print-config configures its SHA-256. */
    private static final String API_KEY = "ccbridge-bench-api-key-0001";

    private final Map<String, String> options = new HashMap<>(Map.ofEntries(
            Map.entry("url", "http://127.0.0.1:8080"),
            Map.entry("fake-port", "18091"),
            Map.entry("latency-ms", "20"),
            Map.entry("notifications", "10000"),
            Map.entry("senders", "16"),
            Map.entry("duplicates", "0.10"),
            Map.entry("timeout", "900"),
            Map.entry("mode", "post"),
            Map.entry("batch", "0"),
            Map.entry("client", "jdk"),
            Map.entry("run", Long.toString(System.currentTimeMillis(), 36))));

    private final Map<String, AtomicInteger> deliveriesPerKey = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong firstDelivery = new AtomicLong();
    private final AtomicLong at20 = new AtomicLong();
    private final AtomicLong at80 = new AtomicLong();
    private final AtomicLong lastDelivery = new AtomicLong();
    private final ExecutorService fakeThreads = Executors.newFixedThreadPool(256);
    private volatile long expected;

    public static void main(String[] args) throws Exception {
        NotifyLoad load = new NotifyLoad();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--print-config")) {
                load.printConfig();
                return;
            }
            load.options.put(args[i].substring(2), args[++i]);
        }
        if (load.option("mode").equals("drain")) {
            load.drain();
        } else if (Integer.parseInt(load.option("batch")) > 0) {
            load.postBatch(Integer.parseInt(load.option("batch")));
        } else {
            load.post();
        }
    }

    /** Arguments for {@code java -jar ccbridge.jar}: the bench API client and the fake as the SMS provider. */
    private void printConfig() throws Exception {
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(API_KEY.getBytes(StandardCharsets.UTF_8)));
        System.out.println("--ccbridge.api.clients.dev.key-sha256="
                + " --ccbridge.api.clients.bench.key-sha256=" + sha256
                // a client may call only what its scopes name
                + " --ccbridge.api.clients.bench.scopes=notifications"
                + " --ccbridge.notify.providers.fake.url=http://127.0.0.1:" + option("fake-port") + "/messages"
                + " --ccbridge.notify.channels.sms.primary=fake");
    }

    /** Posts the run's notifications, each for a customer of its own, and prints accepts/s and latency. */
    private void post() throws Exception {
        Posting posting = posting();
        AtomicInteger next = new AtomicInteger();
        // each notification is posted at most twice: room for every latency whatever the dice say
        Tally tally = new Tally(posting.notifications() * 2 + posting.senders() + 16);
        URI url = URI.create(option("url"));
        ThreadLocal<RawConnection> raw = option("client").equals("raw")
                ? ThreadLocal.withInitial(() -> new RawConnection(url.getHost(), url.getPort())) : null;
        double seconds = runSenders(posting.senders(), () -> {
            int i;
            while ((i = next.getAndIncrement()) < posting.notifications()) {
                String key = "bench-" + posting.run() + "-" + i;
                String body = "{\"channel\":\"sms\",\"recipient\":\"+1202555" + String.format("%04d", i % 10000)
                        + "\",\"body\":\"Your appointment is tomorrow at 10:00\",\"customerId\":\"" + posting.run()
                        + "-" + i
                        + "\",\"messageType\":\"appointment-reminder\",\"businessReference\":\"case-" + i + "\"}";
                int copies = Math.random() < posting.duplicates() ? 2 : 1;
                for (int c = 0; c < copies; c++) {
                    long sent = System.nanoTime();
                    try {
                        Answer answer = raw != null ? raw.get().post("/notifications", key, body)
                                : answer(posting.http().send(request(key, body), HttpResponse.BodyHandlers.ofString()));
                        tally.latency(System.nanoTime() - sent);
                        if (answer.status() != 202) {
                            tally.failed("status " + answer.status(), 1);
                        } else if (answer.replayed()) {
                            tally.replayed.incrementAndGet();
                        } else {
                            tally.accepted.incrementAndGet();
                        }
                    } catch (Exception e) {
                        tally.failed(e.getClass().getSimpleName(), 1);
                    }
                }
            }
        });
        long[] sorted = tally.sortedLatencies();
        System.out.printf("posted %d notifications with %d senders in %.1f s: %d accepted (%.0f/s), %d replays, "
                        + "%d failed; requests %.0f/s; latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                posting.notifications(), posting.senders(), seconds, tally.accepted.get(),
                tally.accepted.get() / seconds, tally.replayed.get(),
                tally.failed.get(),
                sorted.length / seconds, percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        tally.reconcileAndExit(posting.notifications(), posting.run());
    }

    /**
     * {@code --batch N}: the run's notifications through {@code POST /notifications:batch}, N per
     * request; a share of the batches ({@code --duplicates}) is sent again and each of its items must
     * come back replayed. Prints items accepted per second and the latency of a batch request.
     */
    private void postBatch(int size) throws Exception {
        Posting posting = posting();
        AtomicInteger next = new AtomicInteger();
        Tally tally = new Tally((posting.notifications() / size + 1) * 2 + posting.senders() + 16);
        Pattern result = Pattern.compile("\\{\"index\":\\d+,\"status\":(\\d+)(?:,\"id\":\"[^\"]*\",\"replayed\":(true|false))?");
        double seconds = runSenders(posting.senders(), () -> {
            int first;
            while ((first = next.getAndAdd(size)) < posting.notifications()) {
                StringBuilder body = new StringBuilder("{\"notifications\":[");
                int last = Math.min(posting.notifications(), first + size);
                for (int i = first; i < last; i++) {
                    body.append(i == first ? "" : ",").append("{\"idempotencyKey\":\"bench-")
                            .append(posting.run()).append('-')
                            .append(i).append("\",\"channel\":\"sms\",\"recipient\":\"+1202555")
                            .append(String.format("%04d", i % 10000))
                            .append("\",\"body\":\"Your appointment is tomorrow at 10:00\",\"customerId\":\"")
                            .append(posting.run()).append('-').append(i)
                            .append("\",\"messageType\":\"appointment-reminder\",\"businessReference\":\"case-")
                            .append(i).append("\"}");
                }
                String json = body.append("]}").toString();
                int copies = Math.random() < posting.duplicates() ? 2 : 1;
                for (int c = 0; c < copies; c++) {
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> answer = posting.http().send(HttpRequest.newBuilder(
                                        URI.create(option("url") + "/notifications:batch"))
                                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + API_KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
                        tally.latency(System.nanoTime() - sent);
                        if (answer.statusCode() != 200) {
                            tally.failed("batch status " + answer.statusCode(), last - first);
                            continue;
                        }
                        Matcher items = result.matcher(answer.body());
                        while (items.find()) {
                            if (!items.group(1).equals("202")) {
                                tally.failed("item status " + items.group(1), 1);
                            } else if ("true".equals(items.group(2))) {
                                tally.replayed.incrementAndGet();
                            } else {
                                tally.accepted.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        tally.failed(e.getClass().getSimpleName(), last - first);
                    }
                }
            }
        });
        long[] sorted = tally.sortedLatencies();
        System.out.printf("posted %d notifications in batches of %d with %d senders in %.1f s: %d accepted (%.0f/s), "
                        + "%d replays, %d failed; batch requests %.1f/s; latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, "
                        + "max %.1f ms%n",
                posting.notifications(), size, posting.senders(), seconds, tally.accepted.get(),
                tally.accepted.get() / seconds,
                tally.replayed.get(), tally.failed.get(), sorted.length / seconds, percentile(sorted, 50), percentile(sorted, 95),
                percentile(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        tally.reconcileAndExit(posting.notifications(), posting.run());
    }

    /** What {@code POST /notifications} answered: its status, and whether the answer was a replay. */
    private record Answer(int status, boolean replayed) {
    }

    private static Answer answer(HttpResponse<String> response) {
        return new Answer(response.statusCode(), response.headers().firstValue("Idempotent-Replayed").isPresent());
    }

    /**
     * {@code --client raw}: one kept-alive HTTP/1.1 connection per sender, written and read by
     * hand. The JDK client costs this generator 0.7-0.9 ms of CPU per request, as much as
     * ccbridge's side of it, on the same 2 cores; this one a fraction of that. No request is
     * repeated: a failed one counts as failed, and the next opens a new connection.
     */
    private static final class RawConnection {

        private final String host;
        private final int port;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        RawConnection(String host, int port) {
            this.host = host;
            this.port = port;
        }

        Answer post(String path, String key, String body) throws IOException {
            try {
                if (socket == null) {
                    socket = new Socket(host, port);
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    in = new BufferedInputStream(socket.getInputStream(), 8192);
                    out = socket.getOutputStream();
                }
                byte[] content = body.getBytes(StandardCharsets.UTF_8);
                out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer "
                        + API_KEY + "\r\nIdempotency-Key: " + key + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(content);
                out.flush();
                return read();
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        private Answer read() throws IOException {
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = 0;
            boolean chunked = false;
            boolean replayed = false;
            boolean closing = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String name = header.substring(0, header.indexOf(':')).trim().toLowerCase();
                String value = header.substring(header.indexOf(':') + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                    case "idempotent-replayed" -> replayed = true;
                    case "connection" -> closing = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            if (chunked) {
                for (long chunk = Long.parseLong(line().split(";")[0].trim(), 16); chunk > 0;
                     chunk = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    skip(chunk);
                    line();
                }
                line();
            } else {
                skip(length);
            }
            if (closing) {
                close();
            }
            return new Answer(code, replayed);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed mid-answer");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        private void skip(long bytes) throws IOException {
            for (long left = bytes; left > 0; ) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed mid-body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        private void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing a broken connection
            }
            socket = null;
        }
    }

    private HttpRequest request(String key, String body) {
        return HttpRequest.newBuilder(URI.create(option("url") + "/notifications"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + API_KEY)
                .header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Serves the fake provider until every notification of the run was delivered, then reconciles. */
    private void drain() throws Exception {
        int notifications = Integer.parseInt(option("notifications"));
        expected = notifications;
        HttpServer fake = startFake(option("run") + "-");
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(option("timeout"))).toNanos();
        while (delivered.get() < notifications && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(2000); // anything sent twice would arrive now
        fake.stop(0);
        fakeThreads.shutdownNow();

        long twice = deliveriesPerKey.values().stream().filter(count -> count.get() > 1).count();
        System.out.printf("fake provider: %d requests, %d deliveries, %d distinct keys, %d keys sent more than once%n",
                requests.get(), delivered.get(), deliveriesPerKey.size(), twice);
        if (at20.get() != 0 && at80.get() != 0) {
            System.out.printf("drained: %.0f notifications/s between the 20 %% and 80 %% marks, %.0f/s first to last "
                            + "delivery (%.1f s)%n", notifications * 0.6 / ((at80.get() - at20.get()) / 1e9),
                    delivered.get() / ((lastDelivery.get() - firstDelivery.get()) / 1e9),
                    (lastDelivery.get() - firstDelivery.get()) / 1e9);
        }
        boolean reconciled = delivered.get() == notifications && deliveriesPerKey.size() == notifications
                && requests.get() == notifications;
        System.out.println(reconciled ? "reconciled: every notification delivered once, one request each"
                : "NOT reconciled: expected " + notifications + " notifications, one request each");
        System.exit(reconciled ? 0 : 2);
    }

    /** A provider with the json shape: deduplicates by Idempotency-Key, answers after the latency. */
    private HttpServer startFake(String customerPrefix) throws IOException {
        // without it the JDK server's separate header and body writes meet the client's delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(option("fake-port"));
        long latency = Long.parseLong(option("latency-ms"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        server.setExecutor(fakeThreads);
        server.createContext("/messages", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            sleep(latency);
            Matcher customer = CUSTOMER.matcher(body);
            if (key == null || !customer.find()) {
                reply(exchange, 400, "{\"message\":\"idempotency key or customer missing\"}");
                return;
            }
            if (customer.group(1).startsWith(customerPrefix)) { // rows of other runs are answered, not counted
                requests.incrementAndGet();
                if (deliveriesPerKey.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement() == 0) {
                    delivered(); // a repeat of a key is answered, not delivered again
                }
            }
            reply(exchange, 201, "{\"sid\":\"SM" + key.replace("-", "") + "\",\"status\":\"queued\"}");
        });
        server.start();
        System.out.println("fake provider on http://127.0.0.1:" + port + "/messages, " + latency + " ms per call");
        return server;
    }

    private void delivered() {
        long count = delivered.incrementAndGet();
        long now = System.nanoTime();
        firstDelivery.compareAndSet(0, now);
        if (count == expected / 5) {
            at20.set(now);
        }
        if (count == expected * 4 / 5) {
            at80.set(now);
        }
        lastDelivery.set(now);
    }

    /** A post phase's options, and the client its senders share. */
    private record Posting(int notifications, int senders, double duplicates, String run, HttpClient http) {
    }

    private Posting posting() {
        return new Posting(Integer.parseInt(option("notifications")), Integer.parseInt(option("senders")),
                Double.parseDouble(option("duplicates")), option("run"),
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    }

    /** Runs {@code work} on {@code senders} threads at once and returns the seconds until the last one ended. */
    private static double runSenders(int senders, Runnable work) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int s = 0; s < senders; s++) {
            Thread thread = new Thread(work);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** What the senders of a post phase saw: accepts, replays, failures by kind, latencies. */
    private static final class Tally {

        final AtomicLong accepted = new AtomicLong();
        final AtomicLong replayed = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        private final long[] latencies;
        private final AtomicInteger measured = new AtomicInteger();

        Tally(int requests) {
            latencies = new long[requests];
        }

        void latency(long nanos) {
            latencies[measured.getAndIncrement()] = nanos;
        }

        void failed(String kind, int notifications) {
            failed.addAndGet(notifications);
            failures.computeIfAbsent(kind, k -> new AtomicInteger()).addAndGet(notifications);
        }

        long[] sortedLatencies() {
            long[] sorted = Arrays.copyOf(latencies, measured.get());
            Arrays.sort(sorted);
            return sorted;
        }

        /** Prints the failures and whether each notification was accepted once; exits 0 if so, else 2. */
        void reconcileAndExit(int notifications, String run) {
            if (!failures.isEmpty()) {
                System.out.println("failures by kind: " + failures);
            }
            boolean complete = accepted.get() == notifications && failed.get() == 0;
            System.out.println(complete ? "every notification accepted once; drain with --mode drain --run " + run
                    : "NOT complete: expected " + notifications + " accepted and none failed");
            System.exit(complete ? 0 : 2);
        }
    }

    private static double percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percent / 100.0) - 1)] / 1e6;
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String option(String name) {
        return options.get(name);
    }
}
