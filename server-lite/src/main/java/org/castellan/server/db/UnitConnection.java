package org.castellan.server.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Set;

/**
 * The batch's connection as one unit of work sees it: it may run statements, but not end, split
 * or close the transaction it shares with the other units of its batch.
 */
final class UnitConnection {
    private static final Set<String> FORBIDDEN = Set.of("commit", "rollback", "setAutoCommit", "close",
            "setSavepoint", "releaseSavepoint", "setTransactionIsolation", "abort");

    private UnitConnection() {}

    static Connection guard(Connection connection) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (FORBIDDEN.contains(method.getName())) {
                throw new IllegalStateException("a Database.write unit must not call Connection." + method.getName()
                        + ": the transaction belongs to the batch");
            }
            try {
                return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(UnitConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }
}
