import Foundation

/// Waits until the file holds `text` or the time is up.
func wait(for text: String, in file: URL, seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let data = FileManager.default.contents(atPath: file.path), String(decoding: data, as: UTF8.self).contains(text) {
            return true
        }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return false
}

/// `handout build --watch` on the site, its output in files under `logs/`; stop it with `stopWatching`.
func startWatching(_ site: TestSite, _ arguments: [String] = []) throws -> (process: Process, out: URL, err: URL) {
    let logs = site.url("logs")
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    let out = logs.appendingPathComponent("out"), err = logs.appendingPathComponent("err")
    try Data().write(to: out)
    try Data().write(to: err)
    let process = Process()
    process.executableURL = Run.binary
    process.arguments = ["build", "--watch", "--root", site.root.path] + arguments
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    return (process, out, err)
}

func stopWatching(_ process: Process) {
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
}
