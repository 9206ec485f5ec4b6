/// Reads one sample from Prometheus's text format.
enum PrometheusText {
    /// The value of the sample named `series` (name and labels as written), or nil.
    static func value(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }
}
