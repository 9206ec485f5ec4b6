import SQLKit

/// sql-kit's view of MySQL/MariaDB SQL: `?` placeholders, backquoted identifiers, `FOR UPDATE` row locks,
/// no `RETURNING`. What the ledger itself varies per database lives in ``LedgerDialect``.
struct MariaDBSQLDialect: SQLDialect {
    var name: String { "mysql" }
    var identifierQuote: any SQLExpression { SQLRaw("`") }
    var literalStringQuote: any SQLExpression { SQLRaw("'") }
    var supportsAutoIncrement: Bool { true }
    var autoIncrementClause: any SQLExpression { SQLRaw("AUTO_INCREMENT") }
    func bindPlaceholder(at position: Int) -> any SQLExpression { SQLRaw("?") }
    func literalBoolean(_ value: Bool) -> any SQLExpression { SQLRaw(value ? "1" : "0") }
    var enumSyntax: SQLEnumSyntax { .inline }
    var supportsReturning: Bool { false }
    var upsertSyntax: SQLUpsertSyntax { .mysqlLike }
    var alterTableSyntax: SQLAlterTableSyntax {
        SQLAlterTableSyntax(alterColumnDefinitionClause: SQLRaw("MODIFY COLUMN"), alterColumnDefinitionTypeKeyword: nil)
    }
    var sharedSelectLockExpression: (any SQLExpression)? { SQLRaw("LOCK IN SHARE MODE") }
    var exclusiveSelectLockExpression: (any SQLExpression)? { SQLRaw("FOR UPDATE") }
    func nestedSubpathExpression(in column: any SQLExpression, for path: [String]) -> (any SQLExpression)? { nil }
}
