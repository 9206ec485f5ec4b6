import Testing

@testable import AMQP

@Suite("AMQPURL parsing")
struct AMQPURLTests {
    @Test func fullURL() throws {
        let url = try AMQPURL("amqp://user:secret@broker.local:5673/pagos?heartbeat=15&connection_timeout=2500")
        #expect(url.usesTLS == false)
        #expect(url.user == "user")
        #expect(url.password == "secret")
        #expect(url.host == "broker.local")
        #expect(url.port == 5673)
        #expect(url.vhost == "pagos")
        #expect(url.heartbeat == .seconds(15))
        #expect(url.connectionTimeout == .milliseconds(2500))
    }

    @Test(arguments: [
        ("amqp://guest:guest@127.0.0.1:5672/%2F", "/"),
        ("amqp://guest:guest@127.0.0.1:5672/", "/"),
        ("amqp://guest:guest@127.0.0.1:5672", "/"),
        ("amqp://h/%2Fpagos", "/pagos"),
        ("amqp://h/pagos%20prod", "pagos prod"),
        ("amqp://h/caf%C3%A9", "café"),
    ])
    func vhostIsPercentDecoded(url: String, vhost: String) throws {
        #expect(try AMQPURL(url).vhost == vhost)
    }

    @Test func defaults() throws {
        let plain = try AMQPURL("amqp://")
        #expect(plain.host == "localhost")
        #expect(plain.port == 5672)
        #expect(plain.user == "guest" && plain.password == "guest")
        #expect(plain.heartbeat == nil)
        let tls = try AMQPURL("AMQPS://example.com")
        #expect(tls.usesTLS)
        #expect(tls.port == 5671)
        #expect(tls.tls.verifyPeer)
    }

    @Test func credentialsArePercentDecoded() throws {
        let url = try AMQPURL("amqp://us%40er:p%3Ass%2Fw@h/")
        #expect(url.user == "us@er")
        #expect(url.password == "p:ss/w")
    }

    @Test func ipv6Host() throws {
        let url = try AMQPURL("amqp://[::1]:5999/v")
        #expect(url.host == "::1")
        #expect(url.port == 5999)
    }

    @Test func tlsQueryParameters() throws {
        let url = try AMQPURL(
            "amqps://h/?cacertfile=%2Fetc%2Fca.pem&certfile=/c.pem&keyfile=/k.pem&verify=verify_none&auth_mechanism=external")
        #expect(url.tls.caCertificatePath == "/etc/ca.pem")
        #expect(url.tls.certificatePath == "/c.pem")
        #expect(url.tls.keyPath == "/k.pem")
        #expect(url.tls.verifyPeer == false)
        #expect(url.tls.useExternalAuth)
    }

    @Test(arguments: [
        "http://h/", "amqp:/h", "amqp://h:0/", "amqp://h:99999/", "amqp://h:abc/", "amqp://h/a/b",
        "amqp://h/%zz", "amqp://h/?heartbeat=-1", "amqp://[::1/", "amqp://h/?verify=maybe",
    ])
    func invalidURLsAreRejected(url: String) {
        #expect(throws: AMQPError.self) { try AMQPURL(url) }
    }

    @Test func descriptionHidesThePassword() throws {
        let url = try AMQPURL("amqp://user:secret@h:5672/%2F")
        #expect(url.description == "amqp://user:***@h:5672/%2F")
        #expect(!url.description.contains("secret"))
    }
}
