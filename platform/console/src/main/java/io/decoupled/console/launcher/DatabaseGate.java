package io.decoupled.console.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fault injection at the network, for one service's database: a loopback TCP gate between the service and the
 * PostgreSQL server every service shares in the embedded demo. Closing it closes every open connection and refuses
 * new ones, which is what the service sees when its database goes away, while the other services (on the same
 * server, not behind the gate) keep working. Stopping the shared server instead would take them down too.
 */
final class DatabaseGate implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Instant closedSince;

    DatabaseGate(int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the database gate", e);
        }
        Thread.ofPlatform().daemon().name("database-gate-" + port()).start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The JDBC URL of a database on the server, through this gate. */
    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Closes every connection through the gate and refuses new ones until {@link #restore()}; returns false if already cut. */
    synchronized boolean cut(Instant now) {
        if (closedSince != null) {
            return false;
        }
        closedSince = now;
        open.forEach(DatabaseGate::closeQuietly);
        open.clear();
        return true;
    }

    /** Lets connections through again; returns false if it was not cut. */
    synchronized boolean restore() {
        if (closedSince == null) {
            return false;
        }
        closedSince = null;
        return true;
    }

    /** When the current outage began; null while the gate is open. */
    Instant closedSince() {
        return closedSince;
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // the gate itself was closed
            }
            connect(client);
        }
    }

    /** Synchronized with {@link #cut}, so no connection slips through while the gate closes. */
    private synchronized void connect(Socket client) {
        if (closedSince != null) {
            closeQuietly(client);
            return;
        }
        try {
            var upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            open.add(client);
            open.add(upstream);
            pipe(client, upstream);
            pipe(upstream, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException closed) {
                // one side went away (or the gate cut it): the other side follows below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(DatabaseGate::closeQuietly);
        open.clear();
    }
}
