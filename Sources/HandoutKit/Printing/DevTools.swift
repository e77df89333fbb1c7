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
    /// Events received before they were asked for, each with its message to decode when it is.
    private var events: [(envelope: DevTools.Envelope, message: Data)] = []
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()

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
    func send<Reply: Decodable>(_ method: String, _ parameters: some Encodable = DevTools.Nothing(), session: String? = nil,
                                reply: Reply.Type = DevTools.Nothing.self) throws(Failure) -> Reply {
        let id = nextID
        nextID += 1
        guard var bytes = try? encoder.encode(DevTools.Command(id: id, method: method, params: parameters, sessionId: session)) else {
            throw Failure(description: "cannot write the command \(method) as JSON")
        }
        bytes.append(0)
        try write(bytes, doing: method)
        while true {
            let (envelope, message) = try receive(doing: method)
            guard let replyID = envelope.id else {
                events.append((envelope, message))
                continue
            }
            guard replyID == id else { continue }
            if let error = envelope.error {
                throw Failure(description: "\(method) failed: \(error.message ?? "no reason given")")
            }
            return try decode(DevTools.Reply<Reply>.self, from: message, doing: method).result
        }
    }

    /// Waits for the event `method` (of `session`, when given), taking it from those kept.
    @discardableResult
    func wait<Parameters: Decodable>(for method: String, session: String? = nil,
                                     parameters: Parameters.Type = DevTools.Nothing.self) throws(Failure) -> Parameters {
        func matches(_ event: DevTools.Envelope) -> Bool {
            event.method == method && (session == nil || event.sessionId == session)
        }
        let what = "waiting for \(method)"
        if let i = events.firstIndex(where: { matches($0.envelope) }) {
            return try decode(DevTools.Event<Parameters>.self, from: events.remove(at: i).message, doing: what).params
        }
        while true {
            let (envelope, message) = try receive(doing: what)
            if matches(envelope) { return try decode(DevTools.Event<Parameters>.self, from: message, doing: what).params }
            if envelope.id == nil { events.append((envelope, message)) }
        }
    }

    private func decode<Message: Decodable>(_ type: Message.Type, from message: Data, doing what: String) throws(Failure) -> Message {
        guard let decoded = try? decoder.decode(type, from: message) else {
            throw Failure(description: "the browser sent a message Handout cannot read while \(what)")
        }
        return decoded
    }

    /// Forgets the events received so far (before starting something whose events count).
    public func discardEvents() { events.removeAll() }

    private func write(_ bytes: Data, doing what: String) throws(Failure) {
        if !FileSystem.writeAll(bytes, to: output) { throw Failure(description: "the browser stopped while \(what) (it closed its pipe)") }
    }

    /// The next whole message, read as it arrives.
    private func receive(doing what: String) throws(Failure) -> (envelope: DevTools.Envelope, message: Data) {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let end = buffer[searched...].firstIndex(of: 0) {
                let message = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                searched = 0
                guard let envelope = try? decoder.decode(DevTools.Envelope.self, from: message) else {
                    throw Failure(description: "the browser sent a message that is not JSON while \(what)")
                }
                return (envelope, message)
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
