package io.decoupled.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

class LocalPostgresIT {
    @Test
    void givesEachServiceADatabaseOfItsOwnOnOneServer() throws Exception {
        var postgres = LocalPostgres.shared();
        var orders = postgres.createDatabase("orders_it");
        var again = postgres.createDatabase("orders_it");
        var shipping = postgres.createDatabase("shipping_it");
        assertThat(again).isEqualTo(orders);
        assertThat(shipping).isNotEqualTo(orders);
        try (var c = DriverManager.getConnection(orders, "postgres", "postgres");
                var rs = c.createStatement().executeQuery("select current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("orders_it");
        }
    }
}
