#if canImport(Glibc)
import Glibc
#endif

/// A pipe whose ends are close-on-exec (and non-blocking if asked): `pipe2` is not visible from
/// Swift's Glibc module, so the flags are set with `fcntl`. nil if the system refuses.
func makePipe(nonBlocking: Bool) -> (read: Int32, write: Int32)? {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { return nil }
    for fd in ends {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        if nonBlocking { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }
    return (ends[0], ends[1])
}
