// Pasarela's window onto MariaDB Connector/C (Debian's libmariadb-dev, pkg-config libmariadb), which
// speaks to MariaDB and MySQL servers alike. Only Sources/Ledger/Backends/MariaDB touches it.
//
// mysql_options takes its value as `const void *` whose type depends on the option; these wrappers give
// each option the Swift caller needs a typed signature, so no pointer casts happen in Swift.

#ifndef PASARELA_CMARIADB_SHIM_H
#define PASARELA_CMARIADB_SHIM_H

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

/// Connect, read and write timeouts in seconds (0 leaves the library's default), no automatic
/// reconnection (a lost connection is dropped by the pool instead, so no session state is silently
/// lost) and utf8mb4.
static inline int pasarela_mariadb_configure(MYSQL *mysql, unsigned int connect_timeout,
                                             unsigned int read_timeout, unsigned int write_timeout) {
    my_bool no = 0;
    if (mysql_optionsv(mysql, MYSQL_OPT_RECONNECT, &no)) return 1;
    if (connect_timeout > 0 && mysql_optionsv(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout)) return 1;
    if (read_timeout > 0 && mysql_optionsv(mysql, MYSQL_OPT_READ_TIMEOUT, &read_timeout)) return 1;
    if (write_timeout > 0 && mysql_optionsv(mysql, MYSQL_OPT_WRITE_TIMEOUT, &write_timeout)) return 1;
    if (mysql_optionsv(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4")) return 1;
    return 0;
}

/// Makes mysql_stmt_store_result compute each column's longest value (MYSQL_FIELD.max_length), so that
/// result buffers are sized once and no value is ever truncated.
static inline int pasarela_mariadb_stmt_track_max_length(MYSQL_STMT *stmt) {
    my_bool yes = 1;
    return mysql_stmt_attr_set(stmt, STMT_ATTR_UPDATE_MAX_LENGTH, &yes);
}

/// Whether the server reported an open transaction after the last command (SERVER_STATUS_IN_TRANS).
static inline int pasarela_mariadb_in_transaction(const MYSQL *mysql) {
    return (mysql->server_status & SERVER_STATUS_IN_TRANS) != 0;
}

#endif
