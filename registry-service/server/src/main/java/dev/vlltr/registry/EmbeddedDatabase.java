package dev.vlltr.registry;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The embedded PostgreSQL of the one-command start, run as a database that keeps what it acknowledged.
 *
 * <p>zonky's builder is made for throw-away test databases: it passes {@code -F} (fsync off) and
 * {@code synchronous_commit=off}, so a commit is answered before its WAL record is even written and kill -9 of the
 * postmaster loses recent acknowledged writes. Here both are switched back on ({@code -c} options come after
 * {@code -F} on the command line, and the last setting wins).
 *
 * <p>After kill -9 of the JVM that started it, the postmaster lives on (pg_ctl daemonised it) and holds
 * {@code postmaster.pid}; a new start would fail with "lock file postmaster.pid already exists". {@link #start}
 * therefore stops such an orphan first, but only when the pid file names a live {@code postgres} process started
 * on this data directory, so an unrelated process that reused the pid is never touched (its stale pid file is
 * removed instead).
 */
public final class EmbeddedDatabase {
    /** Server settings that make every acknowledged commit durable (zonky's defaults turn them off). */
    static final List<String[]> DURABLE = List.of(
            new String[] {"fsync", "on"},
            new String[] {"synchronous_commit", "on"},
            new String[] {"full_page_writes", "on"});
    static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);

    private EmbeddedDatabase() {}

    /** Starts (or re-opens: data is kept) the cluster on 127.0.0.1; {@code port} 0 picks a free one. */
    public static EmbeddedPostgres start(Path data, int port) throws IOException {
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------")); // postgres demands 0700
        stopOrphan(data);
        awaitSharedMemoryReleased(data, ORPHAN_STOP_WAIT);
        removeStalePidFile(data);
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60)) // crash recovery replays the WAL first
                .setServerConfig("listen_addresses", "127.0.0.1");
        for (String[] kv : DURABLE) {
            b.setServerConfig(kv[0], kv[1]);
        }
        return b.start();
    }

    /** The postmaster that {@code data/postmaster.pid} names, when it is a live postgres on this directory. */
    public static Optional<ProcessHandle> postmaster(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2) {
            return Optional.empty(); // being written or truncated: postgres itself sorts that out
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        // line 2 of postmaster.pid is the data directory the postmaster runs on
        Path pidData = Path.of(lines.get(1).strip());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> sameFile(pidData, data));
    }

    /** Stops an orphaned postmaster on {@code data} (SIGTERM, then SIGKILL after a bounded wait). */
    static void stopOrphan(Path data) throws IOException {
        Optional<ProcessHandle> orphan = postmaster(data);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle p = orphan.get();
        List<ProcessHandle> children = p.children().toList();
        System.out.println("registry: stopping the orphaned embedded PostgreSQL (pid " + p.pid()
                + ") left by an earlier run on " + data);
        // SIGTERM is a smart shutdown: its clients died with the old JVM, so it checkpoints and exits
        p.destroy();
        if (!waitGone(p, ORPHAN_STOP_WAIT)) {
            p.destroyForcibly(); // WAL makes even this safe: the next start runs crash recovery
            waitGone(p, Duration.ofSeconds(10));
        }
        for (ProcessHandle c : children) {
            waitGone(c, Duration.ofSeconds(10));
        }
    }

    /**
     * Removes a {@code postmaster.pid} that names no postmaster of this directory. PostgreSQL removes one whose
     * process is dead, but refuses to start when the pid now belongs to another live process, as happens after a
     * reboot or in a fresh container where pids are handed out again.
     */
    static void removeStalePidFile(Path data) throws IOException {
        if (Files.exists(data.resolve("postmaster.pid")) && postmaster(data).isEmpty()) {
            Files.deleteIfExists(data.resolve("postmaster.pid"));
        }
    }

    /**
     * Waits until no process is attached to the SysV shared-memory block that {@code postmaster.pid} names. After
     * kill -9 of a postmaster its backends notice and exit within moments; until they have, PostgreSQL refuses to
     * start ("pre-existing shared memory block is still in use").
     */
    static void awaitSharedMemoryReleased(Path data, Duration max) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        Path table = Path.of("/proc/sysvipc/shm");
        if (!Files.exists(pidFile) || !Files.isReadable(table)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        String[] keyAndId = lines.size() > 6 ? lines.get(6).strip().split("\\s+") : new String[0];
        if (keyAndId.length != 2) {
            return;
        }
        String shmid = keyAndId[1];
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end && attached(table, shmid) > 0) {
            sleep(Duration.ofMillis(100));
        }
    }

    /** Attached processes of SysV segment {@code shmid} (columns: key shmid perms size cpid lpid nattch ...). */
    private static int attached(Path table, String shmid) throws IOException {
        for (String row : Files.readAllLines(table)) {
            String[] f = row.strip().split("\\s+");
            if (f.length > 6 && f[1].equals(shmid)) {
                return Integer.parseInt(f[6]);
            }
        }
        return 0;
    }

    private static boolean waitGone(ProcessHandle p, Duration max) {
        long end = System.nanoTime() + max.toNanos();
        while (p.isAlive() && System.nanoTime() < end) {
            sleep(Duration.ofMillis(50));
        }
        return !p.isAlive();
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
