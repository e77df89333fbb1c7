import Foundation
import Testing

/// `handout serve` as a command: what it refuses before it starts, a port that is taken, and
/// the private folder of previews gone when it is stopped (SIGTERM).
@Suite struct ServeCommandTests {
    @Test func badAddressesAreCommandLineMistakes() throws {
        let host = try Run.handout(["serve", "--host", "clinic-pc"])
        #expect(host.status == 64)
        #expect(host.stderr.contains("--host clinic-pc is not an IP address; give one of this machine's, like 127.0.0.1 (the default), 0.0.0.0 or 192.168.1.20"))
        let origin = try Run.handout(["serve", "--origin", "intranet.example.org"])
        #expect(origin.status == 64)
        #expect(origin.stderr.contains("--origin intranet.example.org is not a web address; write it as the browser shows it, like https://intranet.example.org"))
    }

    @Test func aTakenPortIsSaidInWordsAndStoppingLeavesNothingBehind() throws {
        let site = try TestSite()
        // Its previews' private folder goes in a temporary folder of its own, to be seen go.
        let temporary = site.url("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let first = Process()
        first.executableURL = Run.binary
        first.arguments = ["serve", "--root", site.root.path, "--port", "0"]
        first.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary.path]) { $1 }
        let out = Pipe()
        first.standardOutput = out
        first.standardError = FileHandle.nullDevice
        try first.run()
        var printed = ""
        while !printed.contains("Watching") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        let port = try #require(printed.firstMatch(of: /Serving Output at http:\/\/127\.0\.0\.1:(\d+)\//)?.1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).map { $0.prefix(14) } == ["handout-serve-"])
        let second = try Run.handout(["serve", "--root", site.root.path, "--port", String(port)])
        #expect(second.status == 1)
        #expect(second.stderr.hasSuffix("error: cannot listen on 127.0.0.1:\(port): the port is in use, or the address is not one of this machine's; choose another with --port or --host\n"))
        first.terminate()
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path) == [])
    }
}
