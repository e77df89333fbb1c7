import Testing
@testable import HandoutKit

/// `hold` as therapists write it, and as the handout prints it back.
@Suite struct HoldTimeTests {
    @Test(arguments: [
        ("30", 30), ("30 s", 30), ("30s", 30), ("45 seconds", 45), ("1 min", 60), ("2 Minutes", 120),
        ("1.5 min", 90), ("0.5 min", 30), ("1 min 30 s", 90), ("1min30s", 90), ("60 min", 3600),
    ])
    func reads(text: String, seconds: Int) {
        #expect(HoldTime(text: text)?.seconds == seconds)
    }

    @Test(arguments: ["", "0", "forever", "2.5 s", "1.01 min", "61 min", "1 min 60 s", "30 s 1 min", "1 min 30", ".5 min", "5. min", "1 h", "1 min 30 s 2 s"])
    func refuses(text: String) {
        #expect(HoldTime(text: text) == nil)
    }

    /// What the handout prints is a hold a plan may write.
    @Test func printsWhatItReads() {
        for seconds in [1, 30, 59, 60, 61, 90, 150, 3599, 3600] {
            #expect(HoldTime(text: HoldTime(seconds: seconds).text)?.seconds == seconds)
        }
    }
}
