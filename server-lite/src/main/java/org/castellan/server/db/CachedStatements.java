package org.castellan.server.db;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Prepared statements kept per SQLite connection and reused, because preparing is most of what a
 * small statement costs there: sqlite-jdbc compiles the SQL again for every
 * {@code prepareStatement}, and SQLite compiles the triggers of the table a statement writes into
 * it (the device-group triggers on {@code devices}). Measured at 1,000,000 devices: preparation
 * was a fifth of a check-in's server CPU and a quarter of the writer thread's
 * (docs/performance.md). PostgreSQL's driver keeps its own per-connection cache, so this wraps
 * the SQLite data source only, under the pool.
 *
 * <p>Reuse must be invisible to the stores, which prepare, bind, run and close as usual:
 * <ul>
 *   <li>{@code close()} of a cached statement closes the result set it returned (which resets the
 *       SQLite statement, so it holds no read snapshot), clears its parameters and batch, and
 *       hands it back; a closed statement refuses further use, as a closed one must.
 *   <li>A statement whose settings were changed ({@code setMaxRows}, {@code setQueryTimeout}, …)
 *       or that ran {@code execute()} (whose results it may still hold) is really closed instead,
 *       so the next caller never inherits a setting.
 *   <li>The same SQL prepared again while its cached statement is still open (a query inside
 *       a loop over the results of the same query) gets a statement of its own, not cached.
 *   <li>At most {@link #PER_CONNECTION} statements per connection, least recently used out
 *       first; closing the connection closes them all.
 * </ul>
 */
final class CachedStatements {
    /** Statements kept per connection: more than the distinct SQL of the hot paths. */
    static final int PER_CONNECTION = 256;
    /** System property: statements kept per connection; 0 turns the cache off (for comparisons). */
    static final String PROPERTY = "castellan.db.cachedStatements";

    /** Methods after which a statement is not handed back: they change what the next caller would inherit. */
    private static final Set<String> SPOILING = Set.of("setMaxRows", "setLargeMaxRows", "setQueryTimeout", "setFetchSize",
            "setFetchDirection", "setMaxFieldSize", "setEscapeProcessing", "setCursorName", "setPoolable",
            "closeOnCompletion", "execute", "addBatch", "executeBatch", "executeLargeBatch", "getResultSet",
            "getMoreResults");

    private CachedStatements() {}

    /** {@code source} with a statement cache of {@code perConnection} per connection, or {@code source} itself for 0. */
    static DataSource around(DataSource source, int perConnection) {
        return perConnection <= 0 ? source : new CachingDataSource(source, perConnection);
    }

    static int configured() {
        return Integer.getInteger(PROPERTY, PER_CONNECTION);
    }

    private record CachingDataSource(DataSource source, int perConnection) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return new CachingConnection(source.getConnection(), perConnection).proxy;
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return new CachingConnection(source.getConnection(user, password), perConnection).proxy;
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return source.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            source.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            source.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return source.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return source.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return type.isInstance(source) ? type.cast(source) : source.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return type.isInstance(source) || source.isWrapperFor(type);
        }
    }

    /** One physical connection and its statements. Used by one thread at a time (the pool's rule). */
    private static final class CachingConnection implements InvocationHandler {
        private final Connection connection;
        private final Connection proxy;
        private final Map<String, CachedStatement> cache;

        CachingConnection(Connection connection, int perConnection) {
            this.connection = connection;
            this.proxy = (Connection) Proxy.newProxyInstance(CachedStatements.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, this);
            this.cache = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CachedStatement> eldest) {
                    if (size() <= perConnection) {
                        return false;
                    }
                    eldest.getValue().evict();
                    return true;
                }
            };
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("prepareStatement") && args.length == 1) {
                return prepare((String) args[0], "", () -> connection.prepareStatement((String) args[0]));
            }
            if (name.equals("prepareStatement") && args.length == 2 && method.getParameterTypes()[1] == int.class) {
                int keys = (Integer) args[1];
                return prepare((String) args[0], keys + ":", () -> connection.prepareStatement((String) args[0], keys));
            }
            if (name.equals("close")) {
                closeAll();
            }
            if (name.equals("unwrap") && ((Class<?>) args[0]).isInstance(connection)) {
                return connection;
            }
            if (name.equals("isWrapperFor") && ((Class<?>) args[0]).isInstance(connection)) {
                return true;
            }
            return call(connection, method, args);
        }

        private PreparedStatement prepare(String sql, String kind, Preparer preparer) throws SQLException {
            String key = kind + sql;
            CachedStatement cached = cache.get(key);
            if (cached != null && !cached.inUse) {
                return cached.checkOut();
            }
            PreparedStatement fresh = preparer.prepare();
            if (cached != null) {
                return fresh; // the cached one is open further up this thread's stack: this one is not kept
            }
            CachedStatement entry = new CachedStatement(this, key, fresh);
            cache.put(key, entry);
            return entry.checkOut();
        }

        void forget(String key, CachedStatement entry) {
            cache.remove(key, entry);
        }

        private void closeAll() {
            List<CachedStatement> all = new ArrayList<>(cache.values());
            cache.clear();
            for (CachedStatement entry : all) {
                entry.evict();
            }
        }
    }

    @FunctionalInterface
    private interface Preparer {
        PreparedStatement prepare() throws SQLException;
    }

    /** A kept statement; {@link #checkOut()} hands a caller a view of it that {@code close()} returns. */
    private static final class CachedStatement {
        private final CachingConnection owner;
        private final String key;
        private final PreparedStatement statement;
        boolean inUse;
        private boolean evicted;

        CachedStatement(CachingConnection owner, String key, PreparedStatement statement) {
            this.owner = owner;
            this.key = key;
            this.statement = statement;
        }

        PreparedStatement checkOut() {
            inUse = true;
            return (PreparedStatement) Proxy.newProxyInstance(CachedStatements.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, new Lease());
        }

        /** Out of the cache: closed now, or when its caller closes it. */
        void evict() {
            evicted = true;
            if (!inUse) {
                closeQuietly();
            }
        }

        private void closeQuietly() {
            try {
                statement.close();
            } catch (SQLException | RuntimeException e) {
                // a statement that cannot close is gone either way
            }
        }

        /** One caller's use of the statement, from prepareStatement to close. */
        private final class Lease implements InvocationHandler {
            private boolean closed;
            private boolean spoiled;
            private ResultSet results;

            @Override
            public Object invoke(Object self, Method method, Object[] args) throws Throwable {
                String name = method.getName();
                switch (name) {
                    case "close" -> {
                        close();
                        return null;
                    }
                    case "isClosed" -> {
                        return closed;
                    }
                    case "getConnection" -> {
                        return owner.proxy;
                    }
                    case "equals" -> {
                        return self == args[0];
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(self);
                    }
                    case "toString" -> {
                        return "cached " + statement;
                    }
                    default -> {
                    }
                }
                if (closed) {
                    throw new SQLException("statement is closed");
                }
                if (SPOILING.contains(name)) {
                    spoiled = true;
                }
                Object result = call(statement, method, args);
                if (name.equals("executeQuery") && (args == null || args.length == 0)) {
                    results = (ResultSet) result;
                }
                return result;
            }

            private void close() {
                if (closed) {
                    return;
                }
                closed = true;
                boolean reusable = !spoiled && !evicted;
                try {
                    if (reusable) {
                        if (results != null) {
                            results.close(); // resets the SQLite statement: no read snapshot stays open
                        }
                        statement.clearParameters();
                        statement.clearWarnings();
                    }
                } catch (SQLException | RuntimeException e) {
                    reusable = false;
                }
                results = null;
                inUse = false;
                if (!reusable) {
                    owner.forget(key, CachedStatement.this);
                    closeQuietly();
                }
            }
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
