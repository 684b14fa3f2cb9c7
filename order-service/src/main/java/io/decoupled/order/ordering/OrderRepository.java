package io.decoupled.order.ordering;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Orders, their lines and their status history, in plain SQL. */
@Repository
class OrderRepository {
    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    OrderRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    void insert(Order order) {
        jdbc.sql("""
                        insert into orders (id, customer_id, session_id, fulfillment, country, currency, total, status, placed_at, updated_at)
                        values (:id, :customerId, :sessionId, :fulfillment, :country, :currency, :total, :status, :placedAt, :updatedAt)""")
                .param("id", order.id().value())
                .param("customerId", order.customerId())
                .param("sessionId", order.sessionId())
                .param("fulfillment", order.fulfillment().name())
                .param("country", order.country())
                .param("currency", order.currency())
                .param("total", order.total())
                .param("status", order.status().name())
                .param("placedAt", Timestamp.from(order.placedAt()))
                .param("updatedAt", Timestamp.from(order.updatedAt()))
                .update();
        // One batch, not one round trip per line: a bulk order has thousands of lines.
        var lines = order.lines();
        batch.batchUpdate(
                "insert into order_lines (order_id, line_no, sku, quantity, unit_price) values (?, ?, ?, ?, ?)",
                IntStream.range(0, lines.size()).boxed().toList(),
                500,
                (statement, index) -> {
                    var line = lines.get(index);
                    statement.setObject(1, order.id().value());
                    statement.setInt(2, index + 1);
                    statement.setString(3, line.sku());
                    statement.setInt(4, line.quantity());
                    statement.setBigDecimal(5, line.unitPrice());
                });
        recordStatus(order.id(), order.status(), null, order.placedAt(), null);
    }

    Optional<Order> find(OrderId id) {
        return jdbc.sql("select * from orders where id = ?")
                .param(id.value())
                .query(this::order)
                .optional()
                .map(o -> withLines(o, lines(id)));
    }

    /** Reads and locks the order row, so that a status change decides on the state it then writes. */
    Optional<OrderStatus> lockStatus(OrderId id) {
        return jdbc.sql("select status from orders where id = ? for update")
                .param(id.value())
                .query((rs, n) -> OrderStatus.valueOf(rs.getString(1)))
                .optional();
    }

    void updateStatus(OrderId id, OrderStatus status, UUID causeEventId, Instant at) {
        updateStatus(id, status, causeEventId, at, null);
    }

    /** Changes the status and records the step with why it happened ({@code note} may be null). */
    void updateStatus(OrderId id, OrderStatus status, UUID causeEventId, Instant at, String note) {
        jdbc.sql("update orders set status = ?, updated_at = ? where id = ?")
                .params(status.name(), Timestamp.from(at), id.value())
                .update();
        recordStatus(id, status, causeEventId, at, note);
    }

    /** Records a message about the order in its history without changing its status. */
    void note(OrderId id, OrderStatus current, UUID causeEventId, Instant at, String note) {
        jdbc.sql("update orders set updated_at = ? where id = ?")
                .params(Timestamp.from(at), id.value())
                .update();
        recordStatus(id, current, causeEventId, at, note);
    }

    Optional<Fulfillment> fulfillment(OrderId id) {
        return jdbc.sql("select fulfillment from orders where id = ?")
                .param(id.value())
                .query((rs, n) -> Fulfillment.valueOf(rs.getString(1)))
                .optional();
    }

    List<OrderView.StatusChange> history(OrderId id) {
        return jdbc.sql(
                        "select status, cause_event_id, changed_at, note from order_status_history where order_id = ? order by id")
                .param(id.value())
                .query((rs, n) -> new OrderView.StatusChange(
                        OrderStatus.valueOf(rs.getString(1)),
                        rs.getObject(2, UUID.class),
                        rs.getTimestamp(3).toInstant(),
                        rs.getString(4)))
                .list();
    }

    /** The number of orders in each status, exact (one grouped count; the status index serves it). */
    Map<OrderStatus, Long> countByStatus() {
        var counts = new EnumMap<OrderStatus, Long>(OrderStatus.class);
        for (var status : OrderStatus.values()) {
            counts.put(status, 0L);
        }
        jdbc.sql("select status, count(*) from orders group by status").query(rs -> {
            counts.put(OrderStatus.valueOf(rs.getString(1)), rs.getLong(2));
        });
        return counts;
    }

    /** One page, newest first; reads one row more than asked to tell whether another page follows. */
    List<Order> page(Optional<OrderStatus> status, int page, int size) {
        var sql = status.isPresent()
                ? "select * from orders where status = :status order by placed_at desc, id limit :limit offset :offset"
                : "select * from orders order by placed_at desc, id limit :limit offset :offset";
        var spec = jdbc.sql(sql).param("limit", size + 1).param("offset", (long) page * size);
        if (status.isPresent()) {
            spec = spec.param("status", status.get().name());
        }
        return spec.query(this::order).list();
    }

    private void recordStatus(OrderId id, OrderStatus status, UUID causeEventId, Instant at, String note) {
        jdbc.sql(
                        "insert into order_status_history (order_id, status, cause_event_id, changed_at, note) values (?, ?, ?, ?, ?)")
                .params(id.value(), status.name(), causeEventId, Timestamp.from(at), note)
                .update();
    }

    private List<OrderLine> lines(OrderId id) {
        return jdbc.sql("select sku, quantity, unit_price from order_lines where order_id = ? order by line_no")
                .param(id.value())
                .query((rs, n) -> new OrderLine(rs.getString(1), rs.getInt(2), rs.getBigDecimal(3)))
                .list();
    }

    private Order order(ResultSet rs, int rowNum) throws SQLException {
        return new Order(
                new OrderId(rs.getObject("id", UUID.class)),
                rs.getString("customer_id"),
                rs.getString("session_id"),
                Fulfillment.valueOf(rs.getString("fulfillment")),
                rs.getString("country"),
                rs.getString("currency"),
                rs.getBigDecimal("total"),
                OrderStatus.valueOf(rs.getString("status")),
                List.of(),
                rs.getTimestamp("placed_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static Order withLines(Order o, List<OrderLine> lines) {
        return new Order(
                o.id(),
                o.customerId(),
                o.sessionId(),
                o.fulfillment(),
                o.country(),
                o.currency(),
                o.total(),
                o.status(),
                lines,
                o.placedAt(),
                o.updatedAt());
    }
}
