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
        .executableTarget(
            name: "handout",
            dependencies: [
                "HandoutKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "HandoutKitTests",
            // The executable is a dependency so command-line tests can run the real binary.
            dependencies: ["HandoutKit", "handout", "CCmark"],
            exclude: ["Fixtures"]
        ),
    ]
)
