/// Kong's checks of registered claims (`verify_registered_claims` and `check_maximum_expiration`),
/// pure: the clock is passed in.
enum JWTClaimsCheck {
    /// The failures, in the order the claims are configured, each as Kong's `claim: message`;
    /// empty when the token passes.
    static func failures(
        claims: JSONObject,
        verifying toVerify: [JWTConfig.VerifiableClaim],
        maximumExpiration: Double,
        now: Double
    ) -> [(String, String)] {
        var failures: [(String, String)] = []
        for claim in toVerify where !failures.contains(where: { $0.0 == claim.rawValue }) {
            guard let value = claims[claim.rawValue]?.doubleValue else {
                failures.append((claim.rawValue, "must be a number"))
                continue
            }
            switch claim {
            case .exp where value <= now: failures.append(("exp", "token expired"))
            case .nbf where value > now: failures.append(("nbf", "token not valid yet"))
            default: break
            }
        }
        if failures.isEmpty, maximumExpiration > 0 {
            let exp = claims["exp"]?.doubleValue
            if exp == nil || (exp ?? 0) - now > maximumExpiration {
                failures.append(("exp", "exceeds maximum allowed expiration"))
            }
        }
        return failures
    }
}
