import Foundation

/// The DevTools protocol messages Handout sends and reads, typed: a command's parameters are
/// encoded, its reply and the events it waits for are decoded into what it uses.
enum DevTools {
    /// A command on the wire: `sessionId` names the tab it is for, none for the browser.
    struct Command<Parameters: Encodable>: Encodable {
        var id: Int
        var method: String
        var params: Parameters
        var sessionId: String?
    }

    /// What every incoming message says about itself: a reply has the id of its command, an
    /// event the method it reports.
    struct Envelope: Decodable {
        var id: Int?
        var method: String?
        var sessionId: String?
        var error: Problem?
    }

    struct Problem: Decodable {
        var message: String?
    }

    struct Reply<Result: Decodable>: Decodable {
        var result: Result
    }

    struct Event<Parameters: Decodable>: Decodable {
        var params: Parameters
    }

    /// A command without parameters, or a reply or event whose content is not used.
    struct Nothing: Codable {}

    struct Navigate: Encodable {
        var url: String
    }

    struct CreateTarget: Encodable {
        var url = "about:blank"
    }

    struct TargetCreated: Decodable {
        var targetId: String?
    }

    /// The tab's messages come back on the same pipe, marked with the session (`flatten`).
    struct AttachToTarget: Encodable {
        var targetId: String
        var flatten = true
    }

    struct Attached: Decodable {
        var sessionId: String?
    }

    struct Navigated: Decodable {
        var errorText: String?
    }

    struct Evaluate: Encodable {
        var expression: String
        var returnByValue = true
    }

    struct Evaluated: Decodable {
        var result: RemoteObject?
        var exceptionDetails: Nothing?
    }

    /// A script's value, as far as Handout reads one: a number, text or a flag.
    struct RemoteObject: Decodable {
        var value: ScriptValue?
    }

    enum ScriptValue: Decodable {
        case number(Int)
        case fraction(Double)
        case text(String)
        case flag(Bool)
        case other

        init(from decoder: Decoder) throws {
            let value = try decoder.singleValueContainer()
            if let number = try? value.decode(Int.self) { self = .number(number) }
            else if let fraction = try? value.decode(Double.self) { self = .fraction(fraction) }
            else if let text = try? value.decode(String.self) { self = .text(text) }
            else if let flag = try? value.decode(Bool.self) { self = .flag(flag) }
            else { self = .other }
        }

        var value: Any? {
            switch self {
            case .number(let number): number
            case .fraction(let fraction): fraction
            case .text(let text): text
            case .flag(let flag): flag
            case .other: nil
            }
        }
    }

    /// Printed as a person would with "Save as PDF": the page's own paper size and margins
    /// (`@page`), no browser header or footer.
    struct PrintToPDF: Encodable {
        var preferCSSPageSize = true
        var displayHeaderFooter = false
        var printBackground = false
        // The merge copies pages, not a document outline or structure tree.
        var generateTaggedPDF = false
        var generateDocumentOutline = false
    }

    struct Printed: Decodable {
        var data: String?
    }
}
