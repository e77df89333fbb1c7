import Foundation

/// The hash of what a patient's paper is printed from: the built handout and calendar, and
/// every stylesheet and picture they load, as published. It changes when anything printed
/// may have changed (a dose, a picture, a word of the templates, the clinic's stylesheet)
/// and not when only the `.ics` or another patient did; it needs no browser, so a batch
/// prints only the plans it chooses.
enum PrintedPages {
    /// The pages of `id` under the published `output` folder.
    static func fingerprint(of id: String, in output: URL) throws(FileFault) -> Fingerprint {
        var hash = Fingerprint()
        let folder = output.appendingPathComponent("patients").appendingPathComponent(id)
        for (page, _) in PDFExport.documents {
            let data = try FileSystem.read(folder.appendingPathComponent(page).path)
            hash.add(page)
            hash.add(Fingerprint(data))
            for path in loaded(by: String(decoding: data, as: UTF8.self), at: "patients/\(id)/") {
                hash.add(path)
                // A picture the page names but the site lacks prints as nothing, as it did.
                hash.add((try? FileSystem.read(output.appendingPathComponent(path).path)).map(Fingerprint.init) ?? .absent)
            }
        }
        return hash
    }

    /// The files a page loads, as paths inside the output folder (`assets/site.css`): every
    /// `src` and each `<link>`'s `href` that is a relative address, resolved from `base`
    /// (the page's folder). Links to other pages are not printed, so they do not count;
    /// an address out of the folder is left out.
    static func loaded(by html: String, at base: String) -> [String] {
        var paths: [String] = []
        for match in attribute.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            guard let tag = Range(match.range(at: 1), in: html), let name = Range(match.range(at: 2), in: html),
                  let value = Range(match.range(at: 3), in: html) else { continue }
            guard html[name].lowercased() == "src" || html[tag].lowercased() == "link" else { continue }
            let address = String(html[value])
            guard !address.isEmpty, !address.contains(":"), !address.hasPrefix("/"), !address.hasPrefix("#"),
                  let path = resolved(address, from: base) else { continue }
            paths.append(path)
        }
        return paths
    }

    /// `<tag ...name="value"`: the tag's name, the attribute's name and its value (the
    /// templates quote with `"`, and an escaped value holds no `"`).
    private static let attribute = try! NSRegularExpression(pattern: #"<([A-Za-z]+)\b[^>]*?\s(src|href)="([^"]*)""#)

    /// `../../assets/site.css` from `patients/demo-0001/` is `assets/site.css`; nil when it
    /// leaves the output folder. A query or fragment is not part of the file.
    static func resolved(_ address: String, from base: String) -> String? {
        let file = address.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
            .split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        var parts = base.split(separator: "/").map(String.init)
        for part in file.split(separator: "/", omittingEmptySubsequences: false).map(String.init) {
            switch part {
            case "", ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(part.removingPercentEncoding ?? part)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}
