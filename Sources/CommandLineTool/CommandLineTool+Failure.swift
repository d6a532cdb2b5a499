extension CommandLineTool {
    /// Why a command stopped: a message a user can act on and the exit status.
    ///
    /// Status 2: the command line or the input is wrong (unknown option, bad value, unreadable or
    /// unusable file); the user fixes it and runs again. Status 1: the work itself failed (the
    /// sampler failed, an output file could not be written).
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var status: Int32
        /// Appended as a second line: where to read about the options.
        public var hint: String?

        public init(_ message: String, status: Int32 = CommandLineTool.usageStatus, hint: String? = nil) {
            self.message = message
            self.status = status
            self.hint = hint
        }

        public var description: String { message }

        /// A usage error with the pointer to `curvecast COMMAND --help`.
        static func usage(_ message: String, command: String) -> Failure {
            Failure(message, hint: "run 'curvecast \(command) --help' for the options")
        }

        /// A failure of the work itself (status 1).
        static func runtime(_ message: String) -> Failure { Failure(message, status: CommandLineTool.failureStatus) }
    }
}
