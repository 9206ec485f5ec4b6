import CRabbitMQ
import Foundation

/// One rabbitmq-c connection: the only type that calls librabbitmq. Blocking and not thread-safe,
/// so it lives on (and is only touched by) its ``ConnectionLoop``'s thread.
final class RabbitConnection {
    /// What to connect to and how.
    struct Options {
        var url: AMQPURL
        var heartbeat: Duration
        var connectTimeout: Duration
        var rpcTimeout: Duration
        var connectionName: String?
        /// How long a batch of publishes may wait for the broker to read before the connection
        /// counts as dead.
        var writeStallLimit: Duration
    }

    let state: amqp_connection_state_t
    let arena = CArena()
    /// `false` once the broker closed the connection or a call failed at the socket level.
    private(set) var isOpen = true
    /// Publishes waiting for `flush()`; `nil` on TLS connections, which publish through rabbitmq-c.
    private(set) var publishBuffer: PublishBuffer?
    private(set) var frameMax = 131_072
    private var writeStallLimit: Duration = .seconds(5)

    private init(state: amqp_connection_state_t) {
        self.state = state
    }

    deinit {
        amqp_destroy_connection(state)
    }

    /// Connects, negotiates and logs in (blocking, bounded by the connect and RPC timeouts).
    static func open(_ options: Options) throws(AMQPError) -> RabbitConnection {
        guard let state = amqp_new_connection() else { throw .library("cannot allocate a connection") }
        let connection = RabbitConnection(state: state)
        try connection.openSocket(options)
        var rpcTimeout = timeval(options.rpcTimeout)
        amqp_set_rpc_timeout(state, &rpcTimeout)
        let heartbeatSeconds = Int32(clamping: options.heartbeat.components.seconds)
        let url = options.url
        let reply: amqp_rpc_reply_t
        if url.usesTLS && url.tls.useExternalAuth {
            reply = pasarela_amqp_login_external(state, url.vhost, 0, 131_072, heartbeatSeconds, url.user)
        } else {
            reply = pasarela_amqp_login_plain(
                state, url.vhost, 0, 131_072, heartbeatSeconds, url.user, url.password, options.connectionName)
        }
        if let error = RabbitError.error(from: reply, "login to \(url)") {
            connection.isOpen = false
            throw error
        }
        connection.frameMax = Int(amqp_get_frame_max(state))
        connection.writeStallLimit = options.writeStallLimit
        if !url.usesTLS { connection.publishBuffer = PublishBuffer() }
        return connection
    }

    private func openSocket(_ options: Options) throws(AMQPError) {
        let url = options.url
        let socket: OpaquePointer?
        if url.usesTLS {
            socket = amqp_ssl_socket_new(state)
            guard let socket else { throw .library("cannot create a TLS socket") }
            try configureTLS(socket, url.tls)
        } else {
            socket = amqp_tcp_socket_new(state)
        }
        guard let socket else { throw .library("cannot create a socket") }
        var timeout = timeval(options.connectTimeout)
        amqp_set_handshake_timeout(state, &timeout)
        let status = amqp_socket_open_noblock(socket, url.host, Int32(url.port), &timeout)
        guard status == AMQP_STATUS_OK.rawValue else {
            isOpen = false
            throw .library("connect to \(url.host):\(url.port): \(RabbitError.text(status))")
        }
    }

    private func configureTLS(_ socket: OpaquePointer, _ tls: TLSOptions) throws(AMQPError) {
        let systemBundle = "/etc/ssl/certs/ca-certificates.crt"
        let caPath = tls.caCertificatePath ?? (FileManager.default.fileExists(atPath: systemBundle) ? systemBundle : nil)
        if let caPath {
            try RabbitError.check(amqp_ssl_socket_set_cacert(socket, caPath), "TLS CA file \(caPath)")
        }
        if let certificate = tls.certificatePath, let key = tls.keyPath {
            try RabbitError.check(amqp_ssl_socket_set_key(socket, certificate, key), "TLS client certificate")
        }
        amqp_ssl_socket_set_verify_peer(socket, tls.verifyPeer ? 1 : 0)
        amqp_ssl_socket_set_verify_hostname(socket, tls.verifyPeer ? 1 : 0)
    }

    /// The socket's file descriptor, to poll on (`-1` if closed).
    var fileDescriptor: Int32 {
        amqp_socket_get_sockfd(amqp_get_socket(state))
    }

    /// Says goodbye to the broker (bounded by the RPC timeout). The connection is unusable afterwards.
    func close() {
        guard isOpen else { return }
        try? flush()
        isOpen = false
        _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
    }

    /// Writes the buffered publishes. Every other call that sends calls this first, so frames
    /// leave in the order they were made.
    func flush() throws(AMQPError) {
        guard let publishBuffer, !publishBuffer.isEmpty else { return }
        do {
            try publishBuffer.write(to: fileDescriptor, stallLimit: writeStallLimit)
        } catch {
            isOpen = false
            throw error
        }
    }

    /// Frees buffers of frames already handled (rabbitmq-c keeps them until told).
    func releaseBuffers() {
        amqp_maybe_release_buffers(state)
    }

    /// Checks the reply of the last synchronous call, answering a broker `close` as AMQP requires.
    func checkReply(_ what: String, channel: UInt16) throws(AMQPError) {
        let reply = amqp_get_rpc_reply(state)
        guard let error = RabbitError.error(from: reply, what) else { return }
        if reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION, reply.reply.id == PASARELA_CHANNEL_CLOSE {
            try sendChannelCloseOk(channel)
        } else {
            if reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION, reply.reply.id == PASARELA_CONNECTION_CLOSE {
                sendConnectionCloseOk()
            }
            isOpen = false
        }
        throw error
    }

    /// Answers a broker's `channel.close`.
    func sendChannelCloseOk(_ channel: UInt16) throws(AMQPError) {
        try flush()
        var closeOk = amqp_channel_close_ok_t(dummy: 0)
        try checkStatus(amqp_send_method(state, channel, PASARELA_CHANNEL_CLOSE_OK, &closeOk), "channel.close-ok")
    }

    /// Answers a broker's `connection.close`; the connection is unusable afterwards.
    func sendConnectionCloseOk() {
        try? flush()
        var closeOk = amqp_connection_close_ok_t(dummy: 0)
        _ = amqp_send_method(state, 0, PASARELA_CONNECTION_CLOSE_OK, &closeOk)
        isOpen = false
    }

    /// Checks a status code; a failure marks the connection unusable.
    func checkStatus(_ status: Int32, _ what: String) throws(AMQPError) {
        guard status == AMQP_STATUS_OK.rawValue else {
            isOpen = false
            throw .library("\(what): \(RabbitError.text(status))")
        }
    }
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
