package io.decoupled.shipping;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * An outage of the service's PostgreSQL, injected in front of its real data source: while on, every new connection
 * fails as it does when the server is unreachable (SQLState 08001), so transactions cannot begin
 * ({@code CannotCreateTransactionException}). Connections already handed out keep working, as in a real outage
 * that begins between two transactions.
 */
public final class ShippingDatabaseFaults implements BeanPostProcessor {

    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {
        @Bean
        static ShippingDatabaseFaults databaseFaults() {
            return new ShippingDatabaseFaults();
        }
    }

    private volatile boolean outage;
    private final AtomicInteger refused = new AtomicInteger();

    public void outage(boolean on) {
        outage = on;
    }

    public int refusedConnections() {
        return refused.get();
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !(bean instanceof Faulty)) {
            return new Faulty(dataSource);
        }
        return bean;
    }

    private final class Faulty extends DelegatingDataSource {
        Faulty(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            check();
            return super.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            check();
            return super.getConnection(username, password);
        }

        private void check() throws SQLException {
            if (outage) {
                refused.incrementAndGet();
                throw new SQLTransientConnectionException("injected: database unreachable", "08001");
            }
        }
    }
}
