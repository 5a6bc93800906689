package dev.vlltr.registry.store;

import dev.vlltr.registry.search.FieldCatalog;
import dev.vlltr.registry.search.PageCursor;
import dev.vlltr.registry.search.SortSpec;
import dev.vlltr.registry.search.SqlFragment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One keyset-paged id query, shared by model and version search: {@code select <id>, <sort expr> from <from> where
 * <filter> [and (<sort expr>, <id>) > (cursor)] order by <sort expr>, <id> limit pageSize + 1}. The extra row tells
 * whether a next page exists; the cursor holds the last row's sort value and id, so pages neither repeat nor skip
 * rows while others write.
 *
 * @param idColumn    the row id that breaks ties ({@code m.id}, {@code v.id})
 * @param from        the FROM clause (fixed SQL, never from input)
 * @param where       the parsed filter plus any fixed conditions
 * @param fingerprint binds tokens to this query (filter, order, scope)
 */
record KeysetPage(String idColumn, String from, SqlFragment where, SortSpec sort, String fingerprint) {

    /** The ids of one page, in order, and the token of the next page (null on the last). */
    record Ids(List<Long> ids, String nextPageToken) {}

    Ids fetch(Connection c, int pageSize, String token) throws SQLException {
        PageCursor cursor = PageCursor.decode(token, fingerprint, sort.kind());
        List<Object> params = new ArrayList<>(sort.exprParams());
        StringBuilder sql = new StringBuilder("select ").append(idColumn).append(", ").append(sort.expr())
                .append(" from ").append(from).append(" where ").append(where.sql());
        params.addAll(where.params());
        if (cursor != null) {
            sql.append(" and (").append(sort.expr()).append(", ").append(idColumn).append(") ")
                    .append(sort.desc() ? "<" : ">").append(" (?, ?)");
            params.addAll(sort.exprParams());
            params.add(cursor.value());
            params.add(cursor.id());
        }
        String dir = sort.desc() ? " desc" : " asc";
        sql.append(" order by ").append(sort.expr()).append(dir).append(", ").append(idColumn).append(dir)
                .append(" limit ?");
        params.addAll(sort.exprParams());
        params.add(pageSize + 1);
        List<Long> ids = new ArrayList<>();
        List<Object> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Sql.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    keys.add(sortValue(rs, sort.kind()));
                }
            }
        }
        if (ids.size() <= pageSize) {
            return new Ids(ids, null);
        }
        return new Ids(ids.subList(0, pageSize),
                PageCursor.encode(keys.get(pageSize - 1), ids.get(pageSize - 1), fingerprint));
    }

    private static Object sortValue(ResultSet rs, FieldCatalog.Kind kind) throws SQLException {
        return switch (kind) {
            case TEXT -> rs.getString(2);
            case NUMBER -> rs.getDouble(2);
            case TIMESTAMP -> rs.getObject(2, OffsetDateTime.class);
        };
    }
}
