import Testing

@testable import Services

@Suite("RetryPolicy")
struct RetryPolicyTests {
    struct Transient: Error {}
    let policy = RetryPolicy(maxRetries: 2, delay: .milliseconds(100))

    @Test func successIsAcknowledgedWithItsReply() {
        #expect(policy.decide(.success(.done), retries: 0) == .acknowledge(nil))
        let reply = JobReply(status: 201, headers: ["X": "y"], body: .bool(true))
        #expect(policy.decide(.success(.reply(reply)), retries: 2) == .acknowledge(reply))
    }

    @Test func transientFailuresRetryUntilTheLimitThenDeadLetter() {
        #expect(policy.decide(.failure(Transient()), retries: 0) == .retry(next: 1))
        #expect(policy.decide(.failure(Transient()), retries: 1) == .retry(next: 2))
        guard case .deadLetter = policy.decide(.failure(Transient()), retries: 2) else {
            Issue.record("expected dead-lettering after the last retry")
            return
        }
    }

    @Test func permanentFailuresDeadLetterAtOnce() {
        #expect(policy.decide(.failure(JobFailure.permanent("no")), retries: 0) == .deadLetter(reason: "permanent failure: no"))
        #expect(policy.decide(.failure(JobFailure.malformed("x")), retries: 0) == .deadLetter(reason: "malformed job: x"))
    }

    @Test func noRetriesDeadLettersTheFirstFailure() {
        guard case .deadLetter = RetryPolicy(maxRetries: 0).decide(.failure(Transient()), retries: 0) else {
            Issue.record("expected dead-lettering")
            return
        }
        #expect(RetryPolicy(maxRetries: -3).maxRetries == 0)
    }
}
