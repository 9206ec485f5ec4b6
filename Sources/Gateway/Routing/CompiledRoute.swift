/// A route's non-path conditions, compiled once and checked per candidate on the hot path.
/// A class so that the hot path reads it in place instead of copying a struct full of arrays.
final class CompiledRoute: Sendable {
    let definition: RouteDefinition
    /// Position in the definitions array: the final tie-break ("file order").
    let order: Int
    /// Upper-cased methods.
    let methods: [String]
    let hosts: [HostPattern]
    /// Sorted by name.
    let headers: [HeaderCondition]
    /// One per entry of `definition.paths`, in the same order.
    let paths: [PathPattern]

    private init(
        definition: RouteDefinition,
        order: Int,
        methods: [String],
        hosts: [HostPattern],
        headers: [HeaderCondition],
        paths: [PathPattern]
    ) {
        self.definition = definition
        self.order = order
        self.methods = methods
        self.hosts = hosts
        self.headers = headers
        self.paths = paths
    }

    /// Compiles `definition`, or returns every problem it has.
    static func compile(_ definition: RouteDefinition, order: Int) -> Result<CompiledRoute, RouteTableError> {
        var problems: [RouteDefinitionProblem] = []
        let id = definition.id
        if definition.methods.isEmpty && definition.hosts.isEmpty && definition.headers.isEmpty
            && definition.paths.isEmpty
        {
            problems.append(
                RouteDefinitionProblem(
                    routeID: id,
                    field: .route,
                    message: "must set one of 'methods', 'hosts', 'headers', 'paths'"
                )
            )
        }
        var methods: [String] = []
        for (index, method) in definition.methods.enumerated() {
            let upper = String(decoding: method.utf8.map(ASCII.upper), as: UTF8.self)
            if upper.isEmpty || !upper.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) {
                problems.append(
                    RouteDefinitionProblem(
                        routeID: id,
                        field: .methods,
                        index: index,
                        message: "invalid value: \(method)"
                    )
                )
            } else if !methods.contains(upper) {
                methods.append(upper)
            }
        }
        var hosts: [HostPattern] = []
        for (index, host) in definition.hosts.enumerated() {
            do {
                hosts.append(try HostPattern.parse(host))
            } catch {
                problems.append(RouteDefinitionProblem(routeID: id, field: .hosts, index: index, message: error.message))
            }
        }
        let headers = definition.headers.sorted { $0.key < $1.key }.map { name, values in
            HeaderCondition.compile(name: name, values: values, routeID: id, problems: &problems)
        }
        var paths: [PathPattern] = []
        for (index, path) in definition.paths.enumerated() {
            do {
                paths.append(try PathPattern.compile(path))
            } catch {
                problems.append(RouteDefinitionProblem(routeID: id, field: .paths, index: index, message: error.message))
            }
        }
        guard problems.isEmpty else { return .failure(RouteTableError(problems: problems)) }
        return .success(
            CompiledRoute(
                definition: definition,
                order: order,
                methods: methods,
                hosts: hosts,
                headers: headers,
                paths: paths
            )
        )
    }

    /// Whether method, host and headers match (the path is checked by the caller).
    @inline(__always)
    func matchesConditions<Headers: RouteHeaders>(_ request: RouteRequest<Headers>) -> Bool {
        if !methods.isEmpty && !methods.contains(request.method) { return false }
        if !hosts.isEmpty && !hosts.contains(where: { $0.matches(host: request.host, port: request.port) }) {
            return false
        }
        for header in headers where !header.matches(request.headers) { return false }
        return true
    }

    /// Kong's "number of fields set" among methods, hosts, headers and paths.
    var matchWeight: Int {
        [!methods.isEmpty, !hosts.isEmpty, !headers.isEmpty, !paths.isEmpty].count(where: { $0 })
    }

    /// Kong's `plain_host_only`: hosts are set and none has a wildcard.
    var hasPlainHostsOnly: Bool {
        !hosts.isEmpty && !hosts.contains(where: \.isWildcard)
    }
}

extension RouteDefinition {
    /// Every problem that keeps this route out of a `RouteTable` (empty when it is valid), for
    /// the config validator to report next to the route's line.
    public var problems: [RouteDefinitionProblem] {
        switch CompiledRoute.compile(self, order: 0) {
        case .success: []
        case .failure(let error): error.problems
        }
    }
}
