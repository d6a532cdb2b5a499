import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The write end of the self-pipe the signal handler writes to (set once, before the handler).
nonisolated(unsafe) private var signalPipeWrite: Int32 = -1

/// SIGTERM and SIGINT for a daemon, delivered as calls on a thread of their own (the signal
/// handler only writes the signal number into a pipe, the one thing it may safely do).
/// SIGPIPE is ignored, so that a client hanging up never kills the process.
public enum TerminationSignals {
    /// Installs the handlers; `handler` is called once per signal received.
    public static func install(_ handler: @escaping @Sendable (Int32) -> Void) {
        signal(SIGPIPE, SIG_IGN)
        guard let ends = makePipe(nonBlocking: false) else { return }
        signalPipeWrite = ends.write
        let readEnd = ends.read
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 { handler(Int32(byte)) } else if count < 0, errno == EINTR { continue } else { return }
            }
        }
        thread.name = "curvecast-signals"
        thread.start()
        for number in [SIGTERM, SIGINT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWrite, &byte, 1)
            }
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
        }
    }
}
