import Foundation

/// Makes `x-tt-logid` values shaped like Coze's (`20241210152726467C48D89D6DB2xxxx`: 17 digits
/// of UTC time to the millisecond, then 15 upper-case hex digits). A counter in the hex part
/// keeps them unique within one simulator even when the clock stands still.
struct LogIDGenerator: Sendable {
    private var counter: UInt64 = 0
    private let salt: UInt64 = UInt64.random(in: 0..<(1 << 28))

    mutating func next(at date: Date) -> String {
        counter += 1
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = millis / 1000
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let stamp = String(
            format: "%04d%02d%02d%02d%02d%02d%03d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
            parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, Int(millis % 1000))
        let unique = ((salt << 32) | (counter & 0xFFFF_FFFF)) & 0x0FFF_FFFF_FFFF_FFFF
        let hex = String(unique, radix: 16, uppercase: true)
        return stamp + String(repeating: "0", count: max(0, 15 - hex.count)) + hex
    }
}
