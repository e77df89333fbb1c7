/// `layout.mustache`: every page's frame around its content.
struct Layout: TemplateContext {
    var lang: String
    var title: String
    var root: String
    var bodyClass: String
    var clinic: ClinicDetails
    var paper: String
    var largePrint: Bool
    var pageStylesheet: String?
    var script: String?
    var content: HTML
    /// A patient's pages: "Version 3f9a2c1e", the plan and content they were made from.
    var version: String?
}

/// The clinic's details, as every page may print them; the footer only in the layout.
struct ClinicDetails: Codable {
    var name: String
    var address: String?
    var phone: String?
    var footer: String?
    var logo: PlacedPicture?
}

/// A picture with its address from the page it is placed on.
struct PlacedPicture: Codable {
    var src: String
    var alt: String
}

/// A title, and the page it links to when there is one ("Used in these protocols").
struct Link: Codable {
    var title: String
    var href: String?
}

/// A Markdown section of an exercise: its heading and its HTML.
struct SectionText: Codable {
    var heading: String
    var html: HTML
}

/// A piece rendered by its own template, placed whole.
struct Rendered: Codable {
    var html: HTML
}
