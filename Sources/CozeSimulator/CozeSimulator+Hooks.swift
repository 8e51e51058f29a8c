/// Test hooks: things a person would do in the Coze console or a browser, and control over
/// requests parked by `hold` faults.
extension CozeSimulator {
    /// The user approves a device code (as on the verification page). False if unknown.
    @discardableResult
    public func approveDeviceCode(userCode: String) -> Bool {
        setDeviceCode(userCode: userCode, to: .approved)
    }

    /// The user denies a device code. False if unknown.
    @discardableResult
    public func denyDeviceCode(userCode: String) -> Bool {
        setDeviceCode(userCode: userCode, to: .denied)
    }

    /// User codes handed out and not yet approved or denied, oldest first.
    public func pendingUserCodes() -> [String] {
        engine.state.withLock { state in
            state.deviceCodes.values.filter { $0.status == .pending }.sorted { $0.userCode < $1.userCode }.map { $0.userCode }
        }
    }

    private func setDeviceCode(userCode: String, to status: DeviceCode.Status) -> Bool {
        engine.state.withLock { state in
            guard let key = state.deviceCodes.first(where: { $0.value.userCode == userCode && $0.value.status == .pending })?.key
            else { return false }
            state.deviceCodes[key]?.status = status
            return true
        }
    }

    /// Requests currently parked by a `hold` fault.
    public func heldRequests() -> [HeldRequest] {
        engine.state.withLock { $0.held.requests }
    }

    /// Waits (without polling) until at least `count` requests are parked; returns at once on `stop`.
    public func waitForHeldRequests(count: Int = 1) async {
        await withCheckedContinuation { continuation in
            engine.state.withLock { $0.held.wait(forCount: count, continuation) }
        }
    }

    /// Lets every parked request continue; returns how many were released.
    @discardableResult
    public func releaseHeld() -> Int {
        engine.state.withLock { $0.held.releaseAll() }
    }

    /// Adds a fault at run time (same as `update { $0.faults.append(fault) }`).
    public func inject(_ fault: Scenario.Fault) {
        update { $0.faults.append(fault) }
    }
}
