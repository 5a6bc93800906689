package dev.vlltr.registry.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Small JDBC helpers. */
final class Sql {
    private Sql() {}

    static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int k = 0; k < params.size(); k++) {
            ps.setObject(k + 1, params.get(k));
        }
    }

    static Array ids(Connection c, List<Long> ids) throws SQLException {
        return c.createArrayOf("bigint", ids.toArray(new Long[0]));
    }
}
