import CommandLineTool
import Foundation

// The executable holds no logic: CommandLineTool parses the arguments and runs the command.
exit(CommandLineTool.run(arguments: Array(CommandLine.arguments.dropFirst()),
                         stdout: .standardOutput(), stderr: .standardError()))
