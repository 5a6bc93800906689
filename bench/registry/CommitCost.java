// What durability costs per commit on this machine: single-row insert transactions on the registry's embedded
// PostgreSQL (fsync=on) with synchronous_commit on (the registry's setting: the commit waits for its WAL flush)
// and off (zonky's old default: answered before the WAL is written), interleaved in blocks of 50.
// Single-file Java program; needs the PostgreSQL JDBC driver on the classpath:
//   java -cp postgresql.jar bench/registry/CommitCost.java jdbc:postgresql://127.0.0.1:PORT/postgres [commits]
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;

public class CommitCost {
    public static void main(String[] args) throws Exception {
        int commits = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int half = commits / 2;
        long[] on = new long[half];
        long[] off = new long[half];
        try (Connection c = DriverManager.getConnection(args[0], "postgres", "postgres")) {
            // a plain table, as the registry writes (temporary tables skip the WAL)
            try (Statement s = c.createStatement()) {
                s.execute("create table if not exists commit_cost_bench (id bigserial primary key, v text)");
            }
            c.setAutoCommit(false);
            int nOn = 0;
            int nOff = 0;
            try (PreparedStatement insert = c.prepareStatement("insert into commit_cost_bench(v) values (?)");
                 Statement set = c.createStatement()) {
                for (int block = 0; nOn < half || nOff < half; block++) {
                    boolean sync = block % 2 == 0;
                    set.execute("set synchronous_commit = " + (sync ? "on" : "off"));
                    c.commit();
                    for (int i = 0; i < 50 && (sync ? nOn < half : nOff < half); i++) {
                        long t = System.nanoTime();
                        insert.setString(1, "x");
                        insert.executeUpdate();
                        c.commit();
                        long took = System.nanoTime() - t;
                        if (sync) {
                            on[nOn++] = took;
                        } else {
                            off[nOff++] = took;
                        }
                    }
                }
                set.execute("drop table commit_cost_bench");
                c.commit();
            }
        }
        report("synchronous_commit=on ", on);
        report("synchronous_commit=off", off);
        System.out.printf(Locale.ROOT, "cost of waiting for the WAL flush: %.2f ms per commit (median)%n",
                (median(on) - median(off)) / 1e6);
    }

    static double median(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static void report(String what, long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%s  %d commits  median %.2f ms  p99 %.2f ms  -> %.0f commits/s on one connection%n",
                what, s.length, s[s.length / 2] / 1e6, s[(int) Math.ceil(0.99 * s.length) - 1] / 1e6,
                1e9 / (Arrays.stream(s).sum() / (double) s.length));
    }
}
