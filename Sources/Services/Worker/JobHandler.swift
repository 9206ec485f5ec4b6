/// Does the work of one job. Commit the job's effects (recorded under ``Job/id``, so that doing the
/// same job twice changes nothing) before returning: the job is acknowledged only after this returns.
public protocol JobHandler: Sendable {
    /// Handles the job; throw ``JobFailure`` for a job that can never succeed, anything else to retry.
    func handle(_ job: Job) async throws -> JobOutcome
}

/// A handler made of a closure.
public struct ClosureJobHandler: JobHandler {
    let body: @Sendable (Job) async throws -> JobOutcome

    public init(_ body: @escaping @Sendable (Job) async throws -> JobOutcome) {
        self.body = body
    }

    public func handle(_ job: Job) async throws -> JobOutcome {
        try await body(job)
    }
}
