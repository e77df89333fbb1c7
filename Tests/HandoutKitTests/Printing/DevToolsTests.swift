import Foundation
import Testing
@testable import HandoutKit
#if canImport(Glibc)
import Glibc
#endif

/// A pretend browser on the other end of two pipes: what it "says" is written into the pipe
/// the connection reads, and what the connection sent is read back from the other.
final class FakeBrowser {
    let toUs: [Int32], fromUs: [Int32]
    let connection: DevToolsConnection

    init(timeout: TimeInterval = 60) {
        var a: [Int32] = [0, 0], b: [Int32] = [0, 0]
        _ = pipe(&a)
        _ = pipe(&b)
        toUs = a
        fromUs = b
        connection = DevToolsConnection(input: a[0], output: b[1], timeout: timeout)
    }

    /// Messages, each followed by a NUL, in one write.
    func say(_ messages: String...) {
        let bytes = Array(messages.map { $0 + "\0" }.joined().utf8)
        _ = bytes.withUnsafeBytes { write(toUs[1], $0.baseAddress!, $0.count) }
    }

    private var hungUp = false

    /// Stops talking: the connection sees the end of its pipe.
    func hangUp() {
        close(toUs[1])
        hungUp = true
    }

    /// Everything the connection has sent so far, message by message.
    func heard() -> [String] {
        var descriptor = pollfd(fd: fromUs[0], events: Int16(POLLIN), revents: 0)
        var bytes: [UInt8] = []
        while poll(&descriptor, 1, 0) > 0 {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = read(fromUs[0], &chunk, chunk.count)
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\0").map(String.init)
    }

    deinit {
        // Each descriptor closed once: tests run in parallel, and a number closed twice may
        // by then belong to another test.
        for fd in [toUs[0], fromUs[0], fromUs[1]] + (hungUp ? [] : [toUs[1]]) { close(fd) }
    }
}

@Suite struct DevToolsTests {
    struct Navigated: Decodable { var frameId: String }
    struct Enabled: Decodable { var ok: Bool }
    struct Loaded: Decodable { var timestamp: Int }

    @Test func aCommandIsOneJSONObjectEndedByNULAndItsReplyIsItsResult() throws {
        let browser = FakeBrowser()
        browser.say(#"{"id":1,"result":{"frameId":"F1"}}"#)
        let result = try browser.connection.send("Page.navigate", DevTools.Navigate(url: "file:///tmp/a.html"), session: "S",
                                                 reply: Navigated.self)
        #expect(result.frameId == "F1")
        let sent = try #require(browser.heard().first.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(sent["id"] as? Int == 1)
        #expect(sent["method"] as? String == "Page.navigate")
        #expect(sent["sessionId"] as? String == "S")
        #expect((sent["params"] as? [String: Any])?["url"] as? String == "file:///tmp/a.html")
    }

    @Test func eventsBeforeAReplyAreKeptForLaterAndOtherSessionsAreNotConfused() throws {
        let browser = FakeBrowser()
        browser.say(#"{"method":"Page.loadEventFired","sessionId":"OTHER","params":{"timestamp":1}}"#,
                    #"{"method":"Page.loadEventFired","sessionId":"S","params":{"timestamp":2}}"#,
                    #"{"id":7,"result":{}}"#,
                    #"{"id":1,"result":{"ok":true}}"#)
        // The stray reply to another command (id 7) is skipped.
        #expect(try browser.connection.send("Page.enable", session: "S", reply: Enabled.self).ok)
        #expect(try browser.connection.wait(for: "Page.loadEventFired", session: "S", parameters: Loaded.self).timestamp == 2)
        browser.say(#"{"method":"Page.loadEventFired","sessionId":"S","params":{"timestamp":3}}"#)
        browser.connection.discardEvents()
        #expect(try browser.connection.wait(for: "Page.loadEventFired", session: "S", parameters: Loaded.self).timestamp == 3)
    }

    @Test func aLongReplyArrivingInPiecesIsReadWhole() throws {
        let browser = FakeBrowser()
        let pdf = String(repeating: "JVBERi0xLjQK", count: 40_000)
        let reply = Array(#"{"id":1,"result":{"data":"\#(pdf)"}}"#.utf8) + [0]
        // Bigger than a pipe holds: written from another thread, in pieces, as it is read.
        let writer = Thread { [fd = browser.toUs[1]] in
            var offset = 0
            while offset < reply.count {
                let piece = min(50_000, reply.count - offset)
                let written = reply.withUnsafeBytes { write(fd, $0.baseAddress! + offset, piece) }
                guard written > 0 else { return }
                offset += written
                usleep(10_000)
            }
        }
        writer.start()
        #expect(try browser.connection.send("Page.printToPDF", DevTools.PrintToPDF(), reply: DevTools.Printed.self).data == pdf)
    }

    @Test func theBrowsersErrorsAndSilencesAreFailuresInWords() {
        let browser = FakeBrowser(timeout: 1)
        browser.say(#"{"id":1,"error":{"code":-32000,"message":"Printing failed"}}"#)
        #expect(throws: DevToolsConnection.Failure(description: "Page.printToPDF failed: Printing failed")) {
            try browser.connection.send("Page.printToPDF")
        }
        #expect(throws: DevToolsConnection.Failure(description: "the browser did not answer within 1 s while Page.navigate")) {
            try browser.connection.send("Page.navigate")
        }
        browser.say(#"{"id":3,"result":{"frameId":7}}"#)
        #expect(throws: DevToolsConnection.Failure(description: "the browser sent a message Handout cannot read while Page.navigate")) {
            try browser.connection.send("Page.navigate", reply: Navigated.self)
        }
        browser.say("<html>")
        #expect(throws: DevToolsConnection.Failure(description: "the browser sent a message that is not JSON while Page.navigate")) {
            try browser.connection.send("Page.navigate")
        }
        browser.hangUp()
        #expect(throws: DevToolsConnection.Failure(description: "the browser stopped while waiting for Page.loadEventFired (it closed its pipe)")) {
            try browser.connection.wait(for: "Page.loadEventFired")
        }
    }
}

@Suite struct ChromiumLookupTests {
    /// A folder holding an executable file for each of `names`.
    func folder(with names: [String]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("handout-path-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in names {
            let path = folder.appendingPathComponent(name).path
            _ = FileManager.default.createFile(atPath: path, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        }
        return folder.path
    }

    @Test func chromiumIsFoundUnderItsDebianUbuntuOrGoogleName() throws {
        let first = try folder(with: ["google-chrome"]), second = try folder(with: ["chromium-browser", "chromium"])
        #expect(try Chromium.find(environment: ["PATH": "\(first):\(second)"]).path == "\(second)/chromium")
        #expect(try Chromium.find(environment: ["PATH": first]).path == "\(first)/google-chrome")
        #expect(try Chromium.find(environment: ["PATH": first, "HANDOUT_CHROMIUM": "\(second)/chromium-browser"]).path
                == "\(second)/chromium-browser")
    }

    @Test func aMissingChromiumNamesTheDebianPackage() throws {
        let empty = try folder(with: [])
        #expect(throws: Chromium.Missing(description: "Chromium is not installed, and handout pdf prints with it: install the Debian package "
                                         + "'chromium' (sudo apt-get install chromium), or set HANDOUT_CHROMIUM to the browser program")) {
            try Chromium.find(environment: ["PATH": empty])
        }
        #expect(throws: Chromium.Missing(description: "HANDOUT_CHROMIUM is set to \(empty), which is not a program that can be run; "
                                         + "point it at the Chromium program or unset it")) {
            try Chromium.find(environment: ["PATH": "/usr/bin", "HANDOUT_CHROMIUM": empty])
        }
    }
}
