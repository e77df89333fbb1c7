import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The Chrome DevTools protocol over a pipe (`--remote-debugging-pipe`): each message is one
/// JSON object followed by a NUL byte, commands go out on one file descriptor and replies
/// and events come back on the other. Commands are answered in order; events that arrive
/// before they are asked for are kept.
public final class DevToolsConnection {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    private let input: Int32
    private let output: Int32
    private let timeout: TimeInterval
    private var buffer: [UInt8] = []
    /// How much of `buffer` is known to hold no NUL, so a long reply is not searched again
    /// every time more of it arrives.
    private var searched = 0
    private var nextID = 1
    private var events: [[String: Any]] = []

    /// `input` carries the browser's messages to us, `output` ours to the browser. No answer
    /// within `timeout` seconds is a failure, so a hung browser never hangs a batch.
    public init(input: Int32, output: Int32, timeout: TimeInterval = 60) {
        self.input = input
        self.output = output
        self.timeout = timeout
    }

    /// Sends a command and waits for its result; a protocol error becomes a `Failure` with
    /// the browser's message.
    @discardableResult
    public func send(_ method: String, _ parameters: [String: Any] = [:], session: String? = nil) throws(Failure) -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": parameters]
        if let session { message["sessionId"] = session }
        guard var bytes = try? JSONSerialization.data(withJSONObject: message) else {
            throw Failure(description: "cannot write the command \(method) as JSON")
        }
        bytes.append(0)
        try write(bytes, doing: method)
        while true {
            let reply = try receive(doing: method)
            guard let replyID = reply["id"] as? Int else {
                events.append(reply)
                continue
            }
            guard replyID == id else { continue }
            if let error = reply["error"] as? [String: Any] {
                throw Failure(description: "\(method) failed: \(error["message"] as? String ?? "no reason given")")
            }
            return reply["result"] as? [String: Any] ?? [:]
        }
    }

    /// Waits for the event `method` (of `session`, when given), taking it from those kept.
    @discardableResult
    public func wait(for method: String, session: String? = nil) throws(Failure) -> [String: Any] {
        func matches(_ event: [String: Any]) -> Bool {
            event["method"] as? String == method && (session == nil || event["sessionId"] as? String == session)
        }
        if let i = events.firstIndex(where: matches) { return events.remove(at: i)["params"] as? [String: Any] ?? [:] }
        while true {
            let event = try receive(doing: "waiting for \(method)")
            if matches(event) { return event["params"] as? [String: Any] ?? [:] }
            if event["id"] == nil { events.append(event) }
        }
    }

    /// Forgets the events received so far (before starting something whose events count).
    public func discardEvents() { events.removeAll() }

    private func write(_ bytes: Data, doing what: String) throws(Failure) {
        if !FileSystem.writeAll(bytes, to: output) { throw Failure(description: "the browser stopped while \(what) (it closed its pipe)") }
    }

    /// The next whole message, read as it arrives.
    private func receive(doing what: String) throws(Failure) -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let end = buffer[searched...].firstIndex(of: 0) {
                let message = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                searched = 0
                guard let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any] else {
                    throw Failure(description: "the browser sent a message that is not JSON while \(what)")
                }
                return object
            }
            searched = buffer.count
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw Failure(description: "the browser did not answer within \(Int(timeout)) s while \(what)") }
            var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining, 1) * 1000) + 1)
            if ready < 0, errno != EINTR { throw Failure(description: "cannot read from the browser while \(what)") }
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = read(input, &chunk, chunk.count)
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            guard count > 0 else { throw Failure(description: "the browser stopped while \(what) (it closed its pipe)") }
            buffer += chunk[..<count]
        }
    }
}
