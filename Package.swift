// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Handout",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "handout", targets: ["handout"]),
        .library(name: "HandoutKit", targets: ["HandoutKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        // The HTTP server of `handout serve`: no dependencies of its own (docs/PERFORMANCE.md).
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .systemLibrary(
            name: "CQRencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        .target(
            name: "HandoutKit",
            dependencies: [
                "CCmark",
                "CQRencode",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // `handout serve`: the preview server and the plan editor, on HandoutKit's public API.
        .target(
            name: "HandoutServe",
            dependencies: [
                "HandoutKit",
                .product(name: "FlyingFox", package: "FlyingFox"),
            ],
            resources: [
                .embedInCode("Assets/reload.js"), .embedInCode("Assets/serve.css"),
                .embedInCode("Assets/editor.js"), .embedInCode("Assets/editor.css"),
                .embedInCode("Assets/words/en.json"), .embedInCode("Assets/words/es.json"),
                .embedInCode("Assets/words/zh-hans.json"),
            ]
        ),
        .executableTarget(
            name: "handout",
            dependencies: [
                "HandoutKit",
                "HandoutServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "HandoutKitTests",
            // The executable is a dependency so command-line tests can run the real binary.
            dependencies: ["HandoutKit", "HandoutServe", "handout", "CCmark", .product(name: "FlyingFox", package: "FlyingFox")],
            exclude: ["Fixtures", "Golden"]
        ),
    ]
)
