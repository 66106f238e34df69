/// A reader of kiosk keys (an evdev device, a GPIO line) on a thread of its own.
public protocol KeySource: AnyObject, Sendable {
    /// Starts reading; `handler` is called on the reader's own thread, one event at a time, in order.
    /// A missing device does not fail this: the reader logs it and keeps trying.
    func start(_ handler: @escaping @Sendable (KeyEvent) -> Void)
    /// Stops reading and waits for the thread to end; no handler call comes after it returns.
    func stop()
}

extension KeySource {
    /// The events as an AsyncStream: reading starts now and stops when the stream's consumer goes away.
    /// The buffer keeps the newest 256 events, so a stalled consumer and a flood of presses cannot grow
    /// memory without bound.
    public func events() -> AsyncStream<KeyEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: KeyEvent.self, bufferingPolicy: .bufferingNewest(256))
        continuation.onTermination = { [self] _ in stop() }
        start { continuation.yield($0) }
        return stream
    }
}
