// Load benchmark of the model registry (and, side by side, MLflow's model registry): reads and version creation.
// Single-file Java program (JDK 17+, no dependencies): java bench/registry/RegistryBench.java --help
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load generator on 127.0.0.1: {@code threads} workers each send one request after another for
 * {@code seconds} (after a warm-up) and record every latency; reports throughput (requests/s) and p50/p99.
 * The same mix (four reads and version creation) runs against MLflow's registry REST API when {@code --mlflow} is
 * given, interleaved per endpoint (registry, then MLflow, then the next endpoint) and repeated {@code rounds} times,
 * so that a change in the machine's load hits both systems alike; the ratio registry/MLflow is printed per endpoint.
 * The machine's load average is printed before and after.
 */
public class RegistryBench {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Latencies (sorted, ns) over {@code seconds} of measurement; rounds of one endpoint merge with {@link #plus}. */
    record Result(String name, double rps, long[] sortedNanos, double seconds, long errors) {
        double p50ms() {
            return pct(sortedNanos, 0.50);
        }

        double p99ms() {
            return pct(sortedNanos, 0.99);
        }

        Result plus(Result o) {
            long[] all = Arrays.copyOf(sortedNanos, sortedNanos.length + o.sortedNanos.length);
            System.arraycopy(o.sortedNanos, 0, all, sortedNanos.length, o.sortedNanos.length);
            Arrays.sort(all);
            return new Result(name, all.length / (seconds + o.seconds), all, seconds + o.seconds, errors + o.errors);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("threads", "8", "seconds", "5", "warmup", "2",
                "versions", "20", "model", "bench-model", "rounds", "5"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help")) {
                System.out.println("usage: RegistryBench --registry URL --key API_KEY [--mlflow URL] [--threads 8]"
                        + " [--seconds 5] [--warmup 2] [--versions 20] [--model bench-model] [--rounds 5] [--force true]");
                return;
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        String reg = o.get("registry");
        String key = o.get("key");
        if (reg == null || key == null) {
            throw new IllegalArgumentException("--registry and --key are required (see --help)");
        }
        String mlflow = o.get("mlflow");
        String model = o.get("model");
        int versions = Integer.parseInt(o.get("versions"));
        int threads = Integer.parseInt(o.get("threads"));
        int seconds = Integer.parseInt(o.get("seconds"));
        int warmup = Integer.parseInt(o.get("warmup"));
        int rounds = Integer.parseInt(o.get("rounds"));
        String loadBefore = loadAverage();

        seedRegistry(reg, key, model, versions);
        // version creation goes to a model of its own, so the read endpoints keep their 20 versions
        String created = model + "-create";
        seedRegistry(reg, key, created, 0);
        Map<String, HttpRequest> regEndpoints = new LinkedHashMap<>();
        regEndpoints.put("get model", get(reg + "/api/v1/models/" + model, key));
        regEndpoints.put("get version", get(reg + "/api/v1/models/" + model + "/versions/" + (versions / 2), key));
        regEndpoints.put("search versions", get(reg + "/api/v1/versions?pageSize=" + versions + "&filter="
                + enc("model = '" + model + "'"), key));
        regEndpoints.put("list models", get(reg + "/api/v1/models?pageSize=20", key));
        regEndpoints.put("create version", post(reg + "/api/v1/models/" + created + "/versions", key,
                registryVersion(1)));

        Map<String, HttpRequest> mlEndpoints = new LinkedHashMap<>();
        if (mlflow != null) {
            seedMlflow(mlflow, model, versions);
            seedMlflow(mlflow, created, 0);
            String api = mlflow + "/api/2.0/mlflow/";
            mlEndpoints.put("get model", get(api + "registered-models/get?name=" + model, null));
            mlEndpoints.put("get version", get(api + "model-versions/get?name=" + model + "&version="
                    + (versions / 2), null));
            mlEndpoints.put("search versions", get(api + "model-versions/search?max_results=" + versions
                    + "&filter=" + enc("name = '" + model + "'"), null));
            mlEndpoints.put("list models", get(api + "registered-models/search?max_results=20", null));
            mlEndpoints.put("create version", post(api + "model-versions/create", null, mlflowVersion(created, 1)));
        }

        System.out.printf(Locale.ROOT, "threads=%d, %d s per endpoint after %d s warm-up, %d versions, %d round(s),"
                + " interleaved per endpoint%n", threads, seconds, warmup, versions, rounds);
        // a short untimed pass over every endpoint first, so the JIT (registry) and caches (both) are warm
        for (var e : regEndpoints.entrySet()) {
            load(e.getKey(), e.getValue(), threads, 1, 0);
        }
        for (var e : mlEndpoints.entrySet()) {
            load(e.getKey(), e.getValue(), threads, 1, 0);
        }
        Map<String, Result> regResults = new LinkedHashMap<>();
        Map<String, Result> mlResults = new LinkedHashMap<>();
        Map<String, List<Double>> regRounds = new LinkedHashMap<>();
        Map<String, List<Double>> mlRounds = new LinkedHashMap<>();
        boolean force = Boolean.parseBoolean(o.getOrDefault("force", "false"));
        for (int round = 0; round < rounds; round++) {
            checkLoad(force);
            for (String k : regEndpoints.keySet()) {
                Result r = load(k, regEndpoints.get(k), threads, seconds, warmup);
                regResults.merge(k, r, Result::plus);
                regRounds.computeIfAbsent(k, x -> new ArrayList<>()).add(r.rps());
                if (mlEndpoints.containsKey(k)) {
                    Result m = load(k, mlEndpoints.get(k), threads, seconds, warmup);
                    mlResults.merge(k, m, Result::plus);
                    mlRounds.computeIfAbsent(k, x -> new ArrayList<>()).add(m.rps());
                }
            }
        }
        // the harness's summary (bench/lib/harness.sh): per-round req/s, median and min–max, ratio of medians
        System.out.printf(Locale.ROOT, "%-16s %-30s %-30s %s%n", "endpoint", "registry req/s median [min-max]",
                "mlflow req/s median [min-max]", "ratio of medians");
        for (String k : regRounds.keySet()) {
            List<Double> a = regRounds.get(k);
            List<Double> b = mlRounds.get(k);
            System.out.printf(Locale.ROOT, "%-16s %-30s %-30s %s%n", k, spread(a), b == null ? "-" : spread(b),
                    b == null ? "-" : String.format(Locale.ROOT, "%.2fx", median(a) / median(b)));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-8s %-16s %10s %9s %9s %7s%n", "system", "endpoint", "req/s", "p50 ms",
                "p99 ms", "errors");
        regResults.values().forEach(r -> print("registry", r));
        mlResults.values().forEach(r -> print("mlflow", r));
        if (!mlResults.isEmpty()) {
            System.out.println();
            System.out.printf(Locale.ROOT, "%-16s %22s %22s%n", "endpoint", "throughput reg/mlflow", "p99 mlflow/reg");
            for (String k : regResults.keySet()) {
                Result a = regResults.get(k);
                Result b = mlResults.get(k);
                System.out.printf(Locale.ROOT, "%-16s %21.2fx %21.2fx%n", k, a.rps() / b.rps(), b.p99ms() / a.p99ms());
            }
        } else {
            System.out.println("(no --mlflow given: MLflow comparison skipped)");
        }
        System.out.println("load average (1, 5, 15 min) before: " + loadBefore + "; after: " + loadAverage()
                + "; cores: " + Runtime.getRuntime().availableProcessors());
    }

    /**
     * The harness's rule (bench/lib/harness.sh, harness_other_busy): no round while other work keeps more than a
     * quarter of the cores busy, measured from /proc/stat over 2 s while this bench is idle (the 1-minute load average
     * would still carry the previous round's and the servers' start-up), unless --force true.
     */
    static void checkLoad(boolean force) throws InterruptedException {
        double busy = otherBusy();
        if (busy > 0.25) {
            if (!force) {
                System.err.printf(Locale.ROOT, "refusing: other work keeps %.3f of the cores busy (limit 0.25);"
                        + " pass --force true to measure a loaded machine anyway%n", busy);
                System.exit(3);
            }
            System.out.printf(Locale.ROOT, "WARNING: other work keeps %.3f of the cores busy: this round runs on a"
                    + " LOADED machine (--force)%n", busy);
        }
    }

    /** Share of all cores busy over 2 s: (user + nice + system + irq + softirq + steal) / (that + idle + iowait). */
    static double otherBusy() throws InterruptedException {
        long[] a = cpuTimes();
        Thread.sleep(2000);
        long[] b = cpuTimes();
        long total = b[1] - a[1];
        return a[1] == 0 || total <= 0 ? 0 : (double) (b[0] - a[0]) / total;
    }

    /** {busy, total} jiffies of /proc/stat's cpu line, as harness_other_busy sums them; {0, 0} when unreadable. */
    static long[] cpuTimes() {
        try {
            String cpu = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            long[] v = new long[9];
            for (int i = 1; i <= 8; i++) {
                v[i] = Long.parseLong(f[i]);
            }
            long busy = v[1] + v[2] + v[3] + v[6] + v[7] + v[8];
            return new long[] {busy, busy + v[4] + v[5]};
        } catch (Exception e) {
            return new long[] {0, 0};
        }
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static String spread(List<Double> v) {
        return String.format(Locale.ROOT, "%.1f [%.1f-%.1f]", median(v), v.stream().mapToDouble(x -> x).min().orElse(0),
                v.stream().mapToDouble(x -> x).max().orElse(0));
    }

    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    static HttpRequest get(String url, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return b.build();
    }

    static HttpRequest post(String url, String key, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return b.build();
    }

    /** The registry's version body: lineage, metrics overall and per shot split, a tag. */
    static String registryVersion(int v) {
        double acc = 0.5 + v * 0.005;
        return String.format(Locale.ROOT, "{\"description\":\"bench %d\",\"lineage\":{\"mlflowRunId\":"
                + "\"run%d\",\"datasetId\":\"imagenet-lt\"},\"metrics\":{\"overall\":{\"acc\":%.4f},"
                + "\"shots\":{\"many\":{\"acc\":%.4f},\"medium\":{\"acc\":%.4f},\"few\":{\"acc\":%.4f}}},"
                + "\"tags\":{\"method\":\"lgr\"}}", v, v, acc, acc + 0.1, acc, acc - 0.2);
    }

    /** MLflow's version body: source, description, a tag (MLflow's registry has no metrics or lineage fields). */
    static String mlflowVersion(String model, int v) {
        return "{\"name\":\"" + model + "\",\"source\":\"s3://bench/" + v + "\",\"description\":\"bench " + v
                + "\",\"tags\":[{\"key\":\"method\",\"value\":\"lgr\"}]}";
    }

    static void print(String system, Result r) {
        System.out.printf(Locale.ROOT, "%-8s %-16s %10.1f %9.2f %9.2f %7d%n", system, r.name(), r.rps(), r.p50ms(),
                r.p99ms(), r.errors());
    }

    static Result load(String name, HttpRequest req, int threads, int seconds, int warmup) throws Exception {
        check(HTTP.send(req, HttpResponse.BodyHandlers.ofString()), req.uri());
        long warmEnd = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
        long end = warmEnd + Duration.ofSeconds(seconds).toNanos();
        List<long[]> lat = new ArrayList<>();
        int[] counts = new int[threads];
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            long[] mine = new long[2_000_000];
            lat.add(mine);
            int id = t;
            Thread th = new Thread(() -> {
                int n = 0;
                try {
                    while (true) {
                        long s = System.nanoTime();
                        if (s >= end) {
                            break;
                        }
                        HttpResponse<byte[]> r = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        long e = System.nanoTime();
                        if (r.statusCode() / 100 != 2) {
                            errors.incrementAndGet();
                        }
                        if (s >= warmEnd && n < mine.length) {
                            mine[n++] = e - s;
                        }
                    }
                } catch (Exception ex) {
                    errors.incrementAndGet();
                } finally {
                    counts[id] = n;
                    done.countDown();
                }
            });
            th.start();
        }
        done.await();
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int k = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(lat.get(t), 0, all, k, counts[t]);
            k += counts[t];
        }
        Arrays.sort(all);
        return new Result(name, total / (double) seconds, all, seconds, errors.get());
    }

    static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, i)] / 1e6;
    }

    static void seedRegistry(String reg, String key, String model, int versions) throws Exception {
        HttpResponse<String> r = send("POST", reg + "/api/v1/models", key, "{\"name\":\"" + model + "\"}");
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IllegalStateException("cannot create model: " + r.statusCode() + " " + r.body());
        }
        String latest = send("GET", reg + "/api/v1/models/" + model, key, null).body();
        int have = latest.contains("\"latestVersion\":null") ? 0
                : Integer.parseInt(latest.replaceAll(".*\"latestVersion\":(\\d+).*", "$1"));
        for (int v = have + 1; v <= versions; v++) {
            check(send("POST", reg + "/api/v1/models/" + model + "/versions", key, registryVersion(v)), URI.create(reg));
        }
    }

    static void seedMlflow(String ml, String model, int versions) throws Exception {
        String api = ml + "/api/2.0/mlflow/";
        HttpResponse<String> r = send("POST", api + "registered-models/create", null, "{\"name\":\"" + model + "\"}");
        if (r.statusCode() != 200 && !r.body().contains("RESOURCE_ALREADY_EXISTS")) {
            throw new IllegalStateException("cannot create MLflow model: " + r.body());
        }
        String search = send("GET", api + "model-versions/search?max_results=1000&filter="
                + enc("name = '" + model + "'"), null, null).body();
        int have = search.split("\"version\"", -1).length - 1;
        for (int v = have + 1; v <= versions; v++) {
            check(send("POST", api + "model-versions/create", null, mlflowVersion(model, v)), URI.create(ml));
        }
    }

    static HttpResponse<String> send(String method, String url, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void check(HttpResponse<?> r, URI where) {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(where + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
