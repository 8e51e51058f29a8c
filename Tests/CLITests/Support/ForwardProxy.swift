import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP forward proxy on 127.0.0.1 for the proxy tests, on plain sockets and threads of its
/// own (never the cooperative pool, which the in-process simulator needs).
///
/// It answers `CONNECT host:port` — what AsyncHTTPClient sends to an HTTP proxy for `https://`
/// and `http://` targets alike — by dialing the target (through `hosts`, so a test can use a
/// name that does not resolve anywhere else) and relaying bytes both ways. Because the simulator
/// speaks plain HTTP inside the tunnel, the proxy also reads the request lines going through it,
/// before relaying them: every request the simulator answers was counted here first. Any other
/// method is answered 405 and recorded.
final class ForwardProxy: @unchecked Sendable {
    struct Tunnel: Equatable {
        var target: String
        var proxyAuthorization: String?
    }

    private(set) var port = 0
    private let hosts: [String: String]
    private let listener: Int32
    private let lock = NSLock()
    private var _tunnels: [Tunnel] = []
    private var _requests: [String] = []
    private var _refused: [String] = []
    private var sockets: Set<Int32> = []
    private var stopped = false

    /// - Parameter hosts: CONNECT host → IPv4 address to dial instead (e.g. `coze-sim.invalid` → `127.0.0.1`).
    init(hosts: [String: String] = [:]) throws {
        self.hosts = hosts
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ProxyError.socket(errno) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else {
            close(listener)
            throw ProxyError.socket(errno)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    enum ProxyError: Error { case socket(Int32) }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Every CONNECT, in order.
    var tunnels: [Tunnel] { lock.withLock { _tunnels } }
    /// Every request relayed through a tunnel, as method and path (`GET /v1/bots`), in order.
    var requests: [String] { lock.withLock { _requests } }
    /// Request lines of anything but CONNECT (answered 405).
    var refused: [String] { lock.withLock { _refused } }

    func stop() {
        let open: Set<Int32> = lock.withLock {
            stopped = true
            return sockets
        }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    // MARK: - Connections

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            guard track(client) else { return }
            Thread { [self] in serve(client) }.start()
        }
    }

    /// Remembers an open socket so `stop` can shut it; false (and closed) once stopped.
    private func track(_ fd: Int32) -> Bool {
        let accepted = lock.withLock {
            if stopped { return false }
            sockets.insert(fd)
            return true
        }
        if !accepted { close(fd) }
        return accepted
    }

    private func untrackAndClose(_ fd: Int32) {
        lock.withLock { _ = sockets.remove(fd) }
        close(fd)
    }

    private func serve(_ client: Int32) {
        var buffered = Data()
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            guard let chunk = receive(client) else { return untrackAndClose(client) }
            buffered.append(chunk)
            headerEnd = buffered.range(of: Data("\r\n\r\n".utf8))
            if buffered.count > 64 * 1024 { return untrackAndClose(client) }
        }
        let head = String(decoding: buffered[..<headerEnd!.lowerBound], as: UTF8.self)
        let rest = buffered[headerEnd!.upperBound...]
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 3, parts[0] == "CONNECT" else {
            lock.withLock { _refused.append(lines[0]) }
            sendAll(client, Data("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            return untrackAndClose(client)
        }
        let target = parts[1]
        let authorization = lines.dropFirst().first { $0.lowercased().hasPrefix("proxy-authorization:") }
            .map { String($0.dropFirst("proxy-authorization:".count)).trimmingCharacters(in: .whitespaces) }
        lock.withLock { _tunnels.append(Tunnel(target: target, proxyAuthorization: authorization)) }

        guard let colon = target.lastIndex(of: ":"), let targetPort = UInt16(target[target.index(after: colon)...]) else {
            sendAll(client, Data("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8))
            return untrackAndClose(client)
        }
        let name = String(target[..<colon])
        guard let upstream = dial(hosts[name] ?? name, port: targetPort), track(upstream) else {
            sendAll(client, Data("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".utf8))
            return untrackAndClose(client)
        }
        sendAll(client, Data("HTTP/1.1 200 Connection Established\r\n\r\n".utf8))

        let done = DispatchGroup()
        done.enter()
        Thread { [self] in
            relay(from: upstream, to: client, sniff: false, leading: Data())
            done.leave()
        }.start()
        relay(from: client, to: upstream, sniff: true, leading: Data(rest))
        done.wait()
        untrackAndClose(upstream)
        untrackAndClose(client)
    }

    /// Copies bytes until end of stream, then half-closes the other side. With `sniff`, every
    /// complete request line is recorded before the bytes that hold it are sent on.
    private func relay(from source: Int32, to destination: Int32, sniff: Bool, leading: Data) {
        var pending = ""
        func pass(_ data: Data) -> Bool {
            if sniff {
                pending += String(decoding: data, as: UTF8.self)
                var lines = pending.components(separatedBy: "\r\n")
                pending = lines.removeLast()
                let found = lines.filter(Self.isRequestLine).map { line in
                    let parts = line.split(separator: " ")
                    return "\(parts[0]) \(parts[1].split(separator: "?", maxSplits: 1)[0])"
                }
                if !found.isEmpty { lock.withLock { _requests += found } }
                if pending.count > 16 * 1024 { pending = "" }
            }
            return sendAll(destination, data)
        }
        if !leading.isEmpty, !pass(leading) {
            shutdown(destination, Int32(SHUT_WR))
            return
        }
        while let chunk = receive(source), pass(chunk) {}
        shutdown(destination, Int32(SHUT_WR))
    }

    static func isRequestLine(_ line: String) -> Bool {
        let parts = line.split(separator: " ")
        return parts.count == 3 && ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"].contains(String(parts[0]))
            && parts[1].hasPrefix("/") && parts[2].hasPrefix("HTTP/1.")
    }

    /// The next bytes, or nil at end of stream or on an error.
    private func receive(_ fd: Int32) -> Data? {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 { return Data(buffer[0..<count]) }
            if count < 0 && errno == EINTR { continue }
            return nil
        }
    }

    @discardableResult
    private func sendAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let sent = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 && errno == EINTR { continue }
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }
    }

    private func dial(_ address: String, port: UInt16) -> Int32? {
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = port.bigEndian
        guard inet_pton(AF_INET, address, &target.sin_addr) == 1 else { return nil }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        let connected = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        return fd
    }
}
