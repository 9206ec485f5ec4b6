import Foundation
import Gateway
import NIOCore

/// Kong's `file-log`: appends each finished request, as Kong's log serializer writes it, as one
/// JSON line to a file. The entry is built in the log phase; the file is written on a thread of
/// its own (never on the event loop), in request order.
public struct FileLogPlugin: ConfigurablePlugin {
    public static let name = "file-log"
    public static let priority = 9

    private let writer: FileLogWriter

    public init(configuration: FileLogConfig, context: PluginBuildContext) throws {
        guard let path = configuration.path else { throw InvalidConfigValue("required field missing") }
        let reopen = configuration.reopen
        let logger = context.logger
        writer = context.shared.object("file-log:\(reopen ? "reopen" : "keep"):\(path)") {
            FileLogWriter(path: path, reopen: reopen, logger: logger)
        }
    }

    public func log(_ context: RequestContext) {
        var line = ByteBuffer()
        KongLogSerializer.serialize(context).write(into: &line)
        line.writeInteger(UInt8(ascii: "\n"))
        writer.append(line)
    }
}
