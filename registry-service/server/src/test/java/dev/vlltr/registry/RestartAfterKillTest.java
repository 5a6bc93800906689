package dev.vlltr.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the service leaves its embedded postmaster running with {@code postmaster.pid} in the data directory;
 * the next start must succeed at once (it used to fail once with "postmaster.pid already exists") and find the data.
 * The killed "service" is a child JVM that starts the embedded database exactly as RegistryMain does.
 */
class RestartAfterKillTest {

    /** The child JVM: starts the embedded database, writes a row, says READY, then waits to be killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            EmbeddedPostgres pg = EmbeddedDatabase.start(Path.of(args[0]), 0);
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.getPort()
                    + "/postgres", "postgres", "postgres")) {
                c.createStatement().execute("create table kept (v text); insert into kept values ('before the kill')");
            }
            System.out.println("READY " + pg.getPort());
            System.out.flush();
            Thread.sleep(120_000); // killed long before
        }
    }

    @Test
    void nextStartAfterKill9OfTheServiceSucceedsAtOnceAndKeepsTheData() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "killed-service-pg");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && !line.startsWith("READY")) {
                out.append(line).append('\n');
            }
            assertTrue(line != null, "the child started its database:\n" + out);
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs, the postmaster is orphaned
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        ProcessHandle orphan = EmbeddedDatabase.postmaster(data)
                .orElseThrow(() -> new AssertionError("the postmaster outlives the killed JVM"));

        long t0 = System.nanoTime();
        try (EmbeddedPostgres pg = EmbeddedDatabase.start(data, 0)) {
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(took.compareTo(Duration.ofSeconds(45)) < 0, "restart took " + took);
            assertFalse(orphan.isAlive(), "the orphaned postmaster was stopped");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.getPort()
                    + "/postgres", "postgres", "postgres"); ResultSet rs = c.createStatement()
                    .executeQuery("select v from kept")) {
                assertTrue(rs.next());
                assertEquals("before the kill", rs.getString(1));
            }
        }
    }

    @Test
    void aPidFileNamingAnotherLiveProcessIsStaleAndThatProcessIsLeftAlone() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "foreign-pid-pg");
        EmbeddedDatabase.start(data, 0).close();
        // this JVM is alive but is no postgres on that directory (a pid handed out again after a reboot)
        Files.writeString(data.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + data + "\n");
        assertTrue(EmbeddedDatabase.postmaster(data).isEmpty(), "not taken for an orphan");
        try (EmbeddedPostgres pg = EmbeddedDatabase.start(data, 0)) {
            assertTrue(EmbeddedDatabase.postmaster(data).isPresent(), "started despite the stale pid file");
        }
    }
}
