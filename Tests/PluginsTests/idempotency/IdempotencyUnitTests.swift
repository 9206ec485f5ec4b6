import Gateway
import NIOCore
import Testing

@testable import Plugins

/// The pure parts: the record's binary form, the memory store and the schema.
@Suite struct IdempotencyUnitTests {
    @Test func recordsRoundTripWithoutTransferHeaders() throws {
        let record = IdempotencyRecord(
            status: 202,
            headers: [
                ("Content-Type", "application/json"), ("Content-Length", "12"), ("X-Request-Id", "r1"),
                ("Connection", "close"), ("X-Multi", "a"), ("X-Multi", "b"),
            ],
            body: ByteBuffer(string: #"{"job_id":1}"#)
        )
        #expect(record.headers.map(\.0) == ["Content-Type", "X-Multi", "X-Multi"])
        var encoded = ByteBuffer()
        record.encode(into: &encoded)
        let decoded = try #require(IdempotencyRecord.decode(&encoded))
        #expect(decoded == record)
        var truncated = ByteBuffer()
        record.encode(into: &truncated)
        truncated.moveWriterIndex(to: truncated.writerIndex - 1)
        #expect(IdempotencyRecord.decode(&truncated) == nil)
        let replay = record.replay
        #expect(replay.status.code == 202)
        #expect(replay.headers.first(name: "Idempotent-Replayed") == "true")
        #expect(replay.headers["X-Multi"] == ["a", "b"])
    }

    @Test func memoryStoreClaimsReplaysAndExpires() {
        let store = IdempotencyMemoryStore()
        let record = IdempotencyRecord(status: 201, headers: [], body: ByteBuffer(string: "made"))
        #expect(store.claim("k", fingerprint: "f", token: "t1", lockTTL: 1000, now: 0) == .claimed(token: "t1"))
        #expect(store.claim("k", fingerprint: "f", token: "t2", lockTTL: 1000, now: 10) == .inFlight)
        #expect(store.claim("k", fingerprint: "other", token: "t2", lockTTL: 1000, now: 10) == .mismatch)
        #expect(!store.complete("k", token: "t2", record: record, ttl: 5000, now: 20))  // not the holder
        #expect(store.complete("k", token: "t1", record: record, ttl: 5000, now: 20))
        #expect(store.claim("k", fingerprint: "f", token: "t3", lockTTL: 1000, now: 30) == .replay(record))
        #expect(store.claim("k", fingerprint: "g", token: "t3", lockTTL: 1000, now: 30) == .mismatch)
        // After the TTL the key is free again, and the sweep drops what expired.
        #expect(store.claim("k", fingerprint: "g", token: "t4", lockTTL: 1000, now: 5020) == .claimed(token: "t4"))
        #expect(store.usage.bytes == 0)
    }

    @Test func memoryStoreReleasesAndLetsExpiredClaimsGo() {
        let store = IdempotencyMemoryStore()
        #expect(store.claim("k", fingerprint: "f", token: "t1", lockTTL: 1000, now: 0) == .claimed(token: "t1"))
        store.release("k", token: "other")
        #expect(store.claim("k", fingerprint: "f", token: "t2", lockTTL: 1000, now: 1) == .inFlight)
        store.release("k", token: "t1")
        #expect(store.claim("k", fingerprint: "f", token: "t2", lockTTL: 1000, now: 2) == .claimed(token: "t2"))
        // A claim whose holder vanished expires after the lock timeout.
        #expect(store.claim("k", fingerprint: "f", token: "t3", lockTTL: 1000, now: 1002) == .claimed(token: "t3"))
    }

    @Test func memoryStoreIsBounded() {
        let store = IdempotencyMemoryStore(memoryLimit: 2000)
        let big = IdempotencyRecord(status: 200, headers: [], body: ByteBuffer(repeating: 1, count: 900))
        for index in 0..<3 {
            _ = store.claim("k\(index)", fingerprint: "f", token: "t", lockTTL: 1000, now: 0)
            let stored = store.complete("k\(index)", token: "t", record: big, ttl: 10_000, now: 0)
            #expect(stored == (index < 2))
        }
        #expect(store.usage.bytes <= 2000)
        // The refused one was released: it runs again.
        #expect(store.claim("k2", fingerprint: "f", token: "u", lockTTL: 1000, now: 1) == .claimed(token: "u"))
    }

    static func diagnostics(_ config: String) -> [String] {
        let yaml = """
            _format_version: "3.0"
            plugins:
              - name: idempotency
                config: \(config)
            """
        let loaded = GatewayLoader.load(
            contents: yaml,
            file: "g.yaml",
            environment: [:],
            registry: BuiltinPlugins.registry,
            logger: .init(label: "t")
        )
        return loaded.diagnostics.sorted.map(\.description)
    }

    @Test func configDefaultsAndErrors() {
        let config = IdempotencyConfig()
        #expect(config.headerName == "Idempotency-Key")
        #expect(config.methods == ["POST", "PATCH"])
        #expect(config.ttl == 86_400 && config.lockTimeout == 120)
        #expect(config.maxRequestBodySize == 1_048_576 && config.maxResponseBodySize == 1_048_576)
        #expect(!config.required && config.policy == .local && !config.faultTolerant)
        #expect(Self.diagnostics("{}").isEmpty)
        #expect(Self.diagnostics("{policy: redis, redis: {host: 127.0.0.1}}").isEmpty)
        let lines = Self.diagnostics("{header_name: \"Bad Key\", methods: [post], ttl: 0, lock_timeout: 0, policy: redis}")
        #expect(lines.contains("g.yaml:4:27: plugins[0].config.header_name: invalid header name \"Bad Key\""))
        #expect(
            lines.contains(
                "g.yaml:4:47: plugins[0].config.methods: methods must be upper-case HTTP methods, found \"post\" at index 0"
            )
        )
        #expect(lines.contains("g.yaml:4:60: plugins[0].config.ttl: value must be greater than 0"))
        #expect(lines.contains("g.yaml:4:77: plugins[0].config.lock_timeout: value must be greater than 0"))
        #expect(lines.contains("g.yaml:4:13: plugins[0].config.redis.host: required field missing"))
    }
}
