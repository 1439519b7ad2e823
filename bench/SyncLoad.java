import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The record sync path under load: signed webhooks into a running ccbridge, through RabbitMQ and
 * the record-sync route, to a fake Salesforce that answers every upsert after a fixed latency.
 *
 * <p>The fake runs in this process (JDK HttpServer): a token endpoint like Salesforce's (no
 * expires_in), single upserts by external id and collection upserts, each answered after
 * {@code --latency}. Every record gets exactly one change with new content; a share of webhooks is
 * delivered twice ({@code --duplicates}), as platforms retry. The run checks that the fake saw
 * every record exactly once, and prints records/s applied in the steady middle of the run and
 * over the whole drain.
 *
 * <pre>
 * java bench/SyncLoad.java --print-config          # the ccbridge settings that point sync at the fake
 * java bench/SyncLoad.java --records 20000 --senders 32
 * </pre>
 */
public class SyncLoad {

    private static final Pattern EXTERNAL_ID = Pattern.compile("\"External_Id__c\"\\s*:\\s*\"([^\"]+)\"");

    private final Map<String, String> options = new HashMap<>(Map.ofEntries(
            Map.entry("url", "http://127.0.0.1:8080"),
            Map.entry("secret", "whsec_Y2NicmlkZ2UtZGV2ZWxvcG1lbnQtc2VjcmV0LTAx"),
            Map.entry("fake-port", "18090"),
            Map.entry("latency-ms", "20"),
            Map.entry("records", "10000"),
            Map.entry("senders", "32"),
            Map.entry("duplicates", "0.10"),
            Map.entry("timeout", "600"),
            Map.entry("mode", "both"),
            Map.entry("rate", "0"),
            Map.entry("run", Long.toString(System.currentTimeMillis(), 36))));

    private final Map<String, AtomicInteger> writesPerRecord = new ConcurrentHashMap<>();
    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong retriesNeeded = new AtomicLong();
    private final AtomicLong singleRequests = new AtomicLong();
    private final AtomicLong collectionRequests = new AtomicLong();
    private final AtomicLong tokenRequests = new AtomicLong();
    private final ExecutorService fakeThreads = Executors.newFixedThreadPool(256);
    private final AtomicLong firstWrite = new AtomicLong();
    private final AtomicLong at20 = new AtomicLong();
    private final AtomicLong at80 = new AtomicLong();
    private final AtomicLong lastWrite = new AtomicLong();
    private volatile long expected;

    public static void main(String[] args) throws Exception {
        SyncLoad load = new SyncLoad();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--print-config")) {
                load.printConfig();
                return;
            }
            if (args[i].equals("--fake-only")) {
                load.startFake(); // to call it by hand; stops with the process
                Thread.sleep(Long.MAX_VALUE);
            }
            load.options.put(args[i].substring(2), args[++i]);
        }
        load.run();
    }

    /**
     * Arguments for {@code java -jar ccbridge.jar} that point the sync engine at the fake; add
     * {@code --ccbridge.sync.enabled=true} to drain, {@code false} to build a backlog.
     */
    private void printConfig() {
        String fake = "http://127.0.0.1:" + option("fake-port");
        System.out.println("--ccbridge.sync.crm-target=salesforce"
                + " --ccbridge.crm.targets.salesforce.type=SALESFORCE"
                + " --ccbridge.crm.targets.salesforce.base-url=" + fake
                + " --ccbridge.crm.targets.salesforce.salesforce.login-url=" + fake
                + " --ccbridge.crm.targets.salesforce.salesforce.client-id=bench"
                + " --ccbridge.crm.targets.salesforce.salesforce.client-secret=bench-secret");
    }

    private void run() throws Exception {
        String mode = option("mode");
        int records = Integer.parseInt(option("records"));
        expected = records;
        String run = option("run");
        HttpServer fake = mode.equals("post") ? null : startFake();
        long start = System.nanoTime();
        if (!mode.equals("drain")) {
            post(records, run);
        }
        if (fake == null) {
            System.out.println("posted; drain with --mode drain --run " + run + " --records " + records);
            System.exit(0);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(option("timeout"))).toNanos();
        while (recordsWritten.get() < records && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(2000); // anything written twice would arrive now
        fake.stop(0);
        fakeThreads.shutdownNow();

        long distinct = writesPerRecord.size();
        long twice = writesPerRecord.values().stream().filter(count -> count.get() > 1).count();
        System.out.printf("fake CRM: %d record writes, %d distinct records, %d written more than once, "
                        + "%d single upserts, %d collection upserts, %d token requests%n",
                recordsWritten.get(), distinct, twice, singleRequests.get(), collectionRequests.get(), tokenRequests.get());
        if (at20.get() != 0 && at80.get() != 0) {
            System.out.printf("applied: %.0f records/s between the 20 %% and 80 %% marks, %.0f records/s first to last "
                            + "write (%.1f s), %.1f s from start to last write%n",
                    records * 0.6 / ((at80.get() - at20.get()) / 1e9),
                    recordsWritten.get() / ((lastWrite.get() - firstWrite.get()) / 1e9),
                    (lastWrite.get() - firstWrite.get()) / 1e9, (lastWrite.get() - start) / 1e9);
        }
        boolean reconciled = distinct == records && twice == 0 && recordsWritten.get() == records;
        System.out.println(reconciled ? "reconciled: every record written exactly once"
                : "NOT reconciled: expected " + records + " records written once each");
        System.exit(reconciled ? 0 : 2);
    }

    /** One change per record, a share of the webhooks delivered twice. */
    private void post(int records, String run) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(8)).build();
        double duplicates = Double.parseDouble(option("duplicates"));
        byte[] key = Base64.getDecoder().decode(option("secret").replaceFirst("^whsec_", ""));
        Semaphore inFlight = new Semaphore(Integer.parseInt(option("senders")));
        AtomicLong accepted = new AtomicLong();
        AtomicLong duplicateReplies = new AtomicLong();
        AtomicLong inFlightReplies = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        // --rate paces the records (0: as fast as the senders go), for a sustained load
        double rate = Double.parseDouble(option("rate"));
        for (int i = 0; i < records; i++) {
            if (rate > 0) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            String recordKey = "BENCH-" + run + "-" + i;
            String body = "{\"type\":\"contact.updated\",\"timestamp\":\"" + Instant.now() + "\",\"data\":{\"channel\":\""
                    + (i % 2 == 0 ? "voice" : "digital") + "\",\"contactId\":\"" + recordKey + "\",\"version\":1,"
                    + "\"email\":\"" + recordKey.toLowerCase() + "@example.com\",\"firstName\":\"Bench\","
                    + "\"disposition\":\"resolved\"}}";
            String id = "msg_" + run + "_" + i;
            int deliveries = Math.random() < duplicates ? 2 : 1;
            for (int d = 0; d < deliveries; d++) {
                inFlight.acquire();
                sends.add(deliver(http, key, id, body, 1).handle((response, error) -> {
                    inFlight.release();
                    if (error == null && response.statusCode() == 409) {
                        inFlightReplies.incrementAndGet(); // the first delivery was still in flight
                    } else if (error != null || response.statusCode() != 200) {
                        failed.incrementAndGet();
                    } else if (response.body().contains("DUPLICATE")) {
                        duplicateReplies.incrementAndGet();
                    } else {
                        accepted.incrementAndGet();
                    }
                    return null;
                }));
            }
        }
        sends.forEach(CompletableFuture::join);
        System.out.printf("posted %d records in %.1f s: %d accepted, %d duplicate replies, %d in-flight 409s, %d failed, "
                        + "%d deliveries sent again after a 5xx or a connection failure%n",
                records, (System.nanoTime() - start) / 1e9, accepted.get(), duplicateReplies.get(), inFlightReplies.get(),
                failed.get(), retriesNeeded.get());
    }

    /**
     * One delivery as a platform makes it: a 5xx or a connection failure is sent again, freshly
     * signed, after a pause (up to 10 tries); the answer of the last try is returned.
     */
    private CompletableFuture<HttpResponse<String>> deliver(HttpClient http, byte[] key, String id, String body, int attempt) {
        retriesNeeded.addAndGet(attempt > 1 ? 1 : 0);
        return http.sendAsync(signed(key, id, body), HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    boolean retry = (error != null || response.statusCode() >= 500) && attempt < 10;
                    if (!retry) {
                        return error == null ? CompletableFuture.completedFuture(response)
                                : CompletableFuture.<HttpResponse<String>>failedFuture(error);
                    }
                    return CompletableFuture.supplyAsync(() -> null,
                                    CompletableFuture.delayedExecutor(100L * attempt, TimeUnit.MILLISECONDS))
                            .thenCompose(ignored -> deliver(http, key, id, body, attempt + 1));
                })
                .thenCompose(next -> next);
    }

    private HttpRequest signed(byte[] key, String id, String body) {
        long timestamp = Instant.now().getEpochSecond();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(option("url") + "/webhooks/demo"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", sign(key, id, timestamp, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
    }

    static String sign(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fake Salesforce: token, single and collection upserts by external id, each after the latency. */
    private HttpServer startFake() throws IOException {
        // without it the JDK server's separate header and body writes meet the client's delayed
        // ACK: 40 ms more per call than the configured latency
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(option("fake-port"));
        long latency = Long.parseLong(option("latency-ms"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        server.setExecutor(fakeThreads);
        String base = "http://127.0.0.1:" + port;
        // for scripts that sample CPU while the drain runs: how many records the fake has seen
        server.createContext("/bench/written", exchange -> {
            byte[] count = Long.toString(recordsWritten.get()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, count.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(count);
            }
        });
        server.createContext("/services/oauth2/token", exchange -> {
            tokenRequests.incrementAndGet();
            drain(exchange.getRequestBody());
            reply(exchange, 200, "{\"access_token\":\"00Dbench!token\",\"instance_url\":\"" + base + "\",\"id\":\""
                    + base + "/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS\",\"token_type\":\"Bearer\","
                    + "\"issued_at\":\"1764000000000\",\"signature\":\"c2ln\"}");
        });
        server.createContext("/services/data/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            sleep(latency);
            if (path.contains("/composite/sobjects/")) {
                collectionRequests.incrementAndGet();
                Matcher ids = EXTERNAL_ID.matcher(body);
                StringBuilder results = new StringBuilder("[");
                while (ids.find()) {
                    written(ids.group(1));
                    results.append(results.length() > 1 ? "," : "")
                            .append("{\"id\":\"003xx\",\"success\":true,\"errors\":[],\"created\":true}");
                }
                reply(exchange, 200, results.append(']').toString());
            } else {
                singleRequests.incrementAndGet();
                written(path.substring(path.lastIndexOf('/') + 1));
                reply(exchange, 201, "{\"id\":\"003xx\",\"success\":true,\"errors\":[],\"created\":true}");
            }
        });
        server.start();
        System.out.println("fake Salesforce on " + base + ", " + latency + " ms per call");
        return server;
    }

    private void written(String recordKey) {
        writesPerRecord.computeIfAbsent(recordKey, k -> new AtomicInteger()).incrementAndGet();
        long count = recordsWritten.incrementAndGet();
        long now = System.nanoTime();
        firstWrite.compareAndSet(0, now);
        if (count == expected / 5) {
            at20.set(now);
        }
        if (count == expected * 4 / 5) {
            at80.set(now);
        }
        lastWrite.set(now);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void drain(InputStream in) throws IOException {
        in.readAllBytes();
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
