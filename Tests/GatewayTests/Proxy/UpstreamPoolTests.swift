import GatewayTestSupport
import NIOCore
import NIOPosix
import Testing

@testable import Gateway

/// The keep-alive pool of one event loop, against a real upstream.
@Suite struct UpstreamPoolTests {
    /// An idle connection the upstream closes leaves the pool at once (it is named by its channel,
    /// not by a weak reference), and the next request opens a fresh one.
    @Test func anIdleConnectionTheUpstreamClosesLeavesThePool() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let pool = try await loop.submit { NIOLoopBound(UpstreamPool(eventLoop: loop), eventLoop: loop) }.get()
        let upstream = try await TestUpstream()
        let endpoint = HTTPEndpoint(scheme: "http", host: "127.0.0.1", port: upstream.port)

        /// Opens a connection, returns it to the pool, and counts the idle ones.
        @Sendable func openAndRelease() -> EventLoopFuture<Int> {
            pool.value.connect(endpoint, timeout: .seconds(5)).assumeIsolated().map { connection in
                pool.value.release(connection)
                return pool.value.idleCount
            }.nonisolated()
        }
        let idleCount: @Sendable () async -> Int? = { try? await loop.submit { pool.value.idleCount }.get() }

        #expect(try await loop.flatSubmit(openAndRelease).get() == 1)
        await upstream.shutdown()  // closes the upstream's side of the idle connection
        #expect(await eventually { await idleCount() == 0 })

        // The pool still works: a new upstream, a new connection, one idle again.
        let second = try await TestUpstream()
        let secondEndpoint = HTTPEndpoint(scheme: "http", host: "127.0.0.1", port: second.port)
        let reopened = try await loop.flatSubmit {
            pool.value.connect(secondEndpoint, timeout: .seconds(5)).assumeIsolated().map { connection in
                pool.value.release(connection)
                return pool.value.idleCount
            }.nonisolated()
        }.get()
        #expect(reopened == 1)
        try await loop.submit { pool.value.closeAll() }.get()
        await second.shutdown()
        try await group.shutdownGracefully()
    }
}
