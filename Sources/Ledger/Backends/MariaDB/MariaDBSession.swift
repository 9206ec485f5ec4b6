import Logging
import NIOCore
import NIOPosix
import SQLKit

/// One leased connection as a sql-kit `SQLDatabase`, so that ``SQLLedgerStore``'s single SQL code path
/// runs on MySQL/MariaDB unchanged. sql-kit renders each query to SQL text with `?` placeholders and a
/// list of bound values; the values travel as prepared-statement parameters, never inside the SQL.
///
/// The blocking C calls run on the backend's own thread pool; callers just `await`.
struct MariaDBSession: SQLDatabase {
    let connection: MariaDBConnection
    let threads: NIOThreadPool
    let logger: Logger
    let eventLoop: any EventLoop

    var dialect: any SQLDialect { MariaDBSQLDialect() }
    var queryLogLevel: Logger.Level? { .trace }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        let parameters = try binds.map { bind throws(MariaDBError) in try MariaDBValue.bind(bind) }
        logger.trace("\(sql)")
        let connection = self.connection
        let rows = try await threads.runIfActive { try connection.execute(sql, parameters) }
        for row in rows { onRow(row) }
    }
}
