import CMariaDB

/// One execution of a prepared statement: binds the parameters, executes, and reads the whole result
/// (buffered client-side with `mysql_stmt_store_result`, so buffers are sized from each column's longest
/// value and nothing is ever truncated). Blocks; runs on a backend thread.
struct MariaDBStatementRun {
    let statement: UnsafeMutablePointer<MYSQL_STMT>

    func run(_ parameters: [MariaDBValue]) throws(MariaDBError) -> [MariaDBRow] {
        let expected = Int(mysql_stmt_param_count(statement))
        guard expected == parameters.count else {
            throw MariaDBError(client: "the statement takes \(expected) parameters, \(parameters.count) given")
        }
        let arena = BindArena()
        defer { arena.free() }
        if !parameters.isEmpty {
            let binds = arena.binds(parameters.count)
            for (index, parameter) in parameters.enumerated() {
                arena.bind(parameter, into: &binds[index])
            }
            guard !mysql_stmt_bind_param(statement, binds).isTrue else { throw MariaDBError(statement: statement) }
        }
        guard mysql_stmt_execute(statement) == 0 else { throw MariaDBError(statement: statement) }
        guard let metadata = mysql_stmt_result_metadata(statement) else {
            if mysql_stmt_errno(statement) != 0 { throw MariaDBError(statement: statement) }
            return []  // INSERT, UPDATE, DDL, transaction control
        }
        defer {
            mysql_free_result(metadata)
            mysql_stmt_free_result(statement)
        }
        guard mysql_stmt_store_result(statement) == 0 else { throw MariaDBError(statement: statement) }
        return try fetch(metadata, arena: arena)
    }

    private func fetch(_ metadata: UnsafeMutablePointer<MYSQL_RES>, arena: BindArena) throws(MariaDBError) -> [MariaDBRow] {
        let count = Int(mysql_num_fields(metadata))
        let fields = (0..<count).map { mysql_fetch_field_direct(metadata, UInt32($0)).pointee }
        let columns = fields.map { String(cString: $0.name) }
        let binds = arena.binds(count)
        let cells = fields.map { arena.resultCell(for: $0) }
        for index in 0..<count { cells[index].attach(to: &binds[index]) }
        guard !mysql_stmt_bind_result(statement, binds).isTrue else { throw MariaDBError(statement: statement) }
        var rows: [MariaDBRow] = []
        rows.reserveCapacity(Int(mysql_stmt_num_rows(statement)))
        while true {
            let status = mysql_stmt_fetch(statement)
            if status == MYSQL_NO_DATA { break }
            if status == MYSQL_DATA_TRUNCATED {
                throw MariaDBError(client: "a result value was truncated (buffer sized from max_length)")
            }
            guard status == 0 else { throw MariaDBError(statement: statement) }
            rows.append(MariaDBRow(columns: columns, values: cells.map { $0.value }))
        }
        return rows
    }
}

extension my_bool {
    /// C's truth of a `my_bool` result.
    fileprivate var isTrue: Bool { self != 0 }
}

/// Memory the C client reads parameters from and writes results into, freed after the execution.
private final class BindArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    func free() {
        for pointer in allocations { pointer.deallocate() }
        allocations.removeAll()
    }

    /// Zeroed `MYSQL_BIND`s.
    func binds(_ count: Int) -> UnsafeMutablePointer<MYSQL_BIND> {
        let binds = UnsafeMutablePointer<MYSQL_BIND>.allocate(capacity: max(count, 1))
        binds.initialize(repeating: MYSQL_BIND(), count: max(count, 1))
        allocations.append(UnsafeMutableRawPointer(binds))
        return binds
    }

    private func raw(_ size: Int) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(size, 1), alignment: 8)
        allocations.append(pointer)
        return pointer
    }

    /// Points a parameter bind at a copy of `value`.
    func bind(_ value: MariaDBValue, into bind: inout MYSQL_BIND) {
        switch value {
        case .null:
            bind.buffer_type = MYSQL_TYPE_NULL
        case .int(let number):
            bind.buffer_type = MYSQL_TYPE_LONGLONG
            bind.buffer = store(number)
        case .uint(let number):
            bind.buffer_type = MYSQL_TYPE_LONGLONG
            bind.buffer = store(number)
            bind.is_unsigned = 1
        case .double(let number):
            bind.buffer_type = MYSQL_TYPE_DOUBLE
            bind.buffer = store(number)
        case .bytes(let bytes):
            bind.buffer_type = MYSQL_TYPE_STRING
            let buffer = raw(bytes.count)
            bytes.withUnsafeBytes { source in
                if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: source.count) }
            }
            bind.buffer = buffer
            bind.buffer_length = UInt(bytes.count)
        }
    }

    private func store<T>(_ value: T) -> UnsafeMutableRawPointer {
        let pointer = raw(MemoryLayout<T>.size)
        pointer.storeBytes(of: value, as: T.self)
        return pointer
    }

    /// The output buffers of one result column, sized for its type and longest value.
    func resultCell(for field: MYSQL_FIELD) -> ResultCell {
        let kind: ResultCell.Kind
        let size: Int
        switch field.type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_INT24, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_YEAR:
            kind = field.flags & UInt32(UNSIGNED_FLAG) != 0 ? .unsigned : .signed
            size = 8
        case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
            kind = .double
            size = 8
        default:
            kind = .bytes
            size = Int(field.max_length)
        }
        return ResultCell(
            kind: kind,
            buffer: raw(size),
            capacity: size,
            length: raw(MemoryLayout<UInt>.size).bindMemory(to: UInt.self, capacity: 1),
            isNull: raw(MemoryLayout<my_bool>.size).bindMemory(to: my_bool.self, capacity: 1),
            error: raw(MemoryLayout<my_bool>.size).bindMemory(to: my_bool.self, capacity: 1)
        )
    }
}

/// Where `mysql_stmt_fetch` writes one column of the current row.
private struct ResultCell {
    enum Kind { case signed, unsigned, double, bytes }
    let kind: Kind
    let buffer: UnsafeMutableRawPointer
    let capacity: Int
    let length: UnsafeMutablePointer<UInt>
    let isNull: UnsafeMutablePointer<my_bool>
    let error: UnsafeMutablePointer<my_bool>

    func attach(to bind: inout MYSQL_BIND) {
        switch kind {
        case .signed, .unsigned:
            bind.buffer_type = MYSQL_TYPE_LONGLONG
            bind.is_unsigned = kind == .unsigned ? 1 : 0
        case .double:
            bind.buffer_type = MYSQL_TYPE_DOUBLE
        case .bytes:
            bind.buffer_type = MYSQL_TYPE_STRING
        }
        bind.buffer = buffer
        bind.buffer_length = UInt(capacity)
        bind.length = length
        bind.is_null = isNull
        bind.error = error
    }

    var value: MariaDBValue {
        if isNull.pointee != 0 { return .null }
        switch kind {
        case .signed: return .int(buffer.load(as: Int64.self))
        case .unsigned: return .uint(buffer.load(as: UInt64.self))
        case .double: return .double(buffer.load(as: Double.self))
        case .bytes:
            let count = min(Int(length.pointee), capacity)
            return .bytes(Array(UnsafeRawBufferPointer(start: buffer, count: count)))
        }
    }
}

extension MariaDBValue {
    /// A text-protocol cell, typed by its column.
    static func fromText(_ bytes: [UInt8], field: MYSQL_FIELD) -> MariaDBValue {
        let text = String(decoding: bytes, as: UTF8.self)
        switch field.type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_INT24, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_YEAR:
            if field.flags & UInt32(UNSIGNED_FLAG) != 0, let number = UInt64(text) { return .uint(number) }
            if let number = Int64(text) { return .int(number) }
            return .bytes(bytes)
        case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
            return Double(text).map(MariaDBValue.double) ?? .bytes(bytes)
        default:
            return .bytes(bytes)
        }
    }
}
