extension Tape {
    /// Builds the replay lists and the backward bookkeeping from the recorded nodes.
    ///
    /// - `reachesOutput`: the nodes the output depends on (a reverse sweep from the output).
    /// - first contribution: walking nodes in reverse order (the backward order), the first
    ///   consumer that touches an input's adjoint assigns it; later consumers accumulate. Every
    ///   adjoint that the backward sweep reads has therefore been written in the same sweep.
    init(recorded: [Node], values: [Double], customOperations: [any CustomVectorOperation], customInputs: [[Int]],
         parameterNodes: [Int], parameterCount: Int, parameterNames: [String], output: Int, keep: [Int]) {
        var nodes = recorded
        var customAssign = customInputs.map { Array(repeating: false, count: $0.count) }
        nodes[output].reachesOutput = true
        for i in stride(from: output, through: 0, by: -1) where nodes[i].reachesOutput && !nodes[i].isConstant {
            for input in Tape.inputs(of: nodes[i], customInputs) where !nodes[input].isConstant {
                nodes[input].reachesOutput = true
            }
        }
        var touched = Array(repeating: false, count: nodes.count)
        touched[output] = true
        var backward: [Int] = []
        for i in stride(from: output, through: 0, by: -1) where nodes[i].reachesOutput && !nodes[i].isConstant {
            if case .custom(let k) = nodes[i].operation {
                for (j, input) in customInputs[k].enumerated() where nodes[input].reachesOutput {
                    customAssign[k][j] = !touched[input]
                    touched[input] = true
                }
            } else {
                let (a, b) = nodes[i].inputs
                if a >= 0 && nodes[a].reachesOutput {
                    nodes[i].assignFirst = !touched[a]
                    touched[a] = true
                }
                if b >= 0 && nodes[b].reachesOutput {
                    nodes[i].assignSecond = !touched[b]
                    touched[b] = true
                }
            }
            if case .parameter = nodes[i].operation { continue }
            backward.append(i)
        }
        self.nodes = nodes
        self.values = values
        self.adjoints = Array(repeating: 0, count: values.count)
        self.customOperations = customOperations
        self.customInputs = customInputs
        self.customAssign = customAssign
        self.parameterNodes = parameterNodes
        self.parameterCount = parameterCount
        self.parameterNames = parameterNames
        self.output = NodeID(index: output)
        // The forward replay computes the ancestors of the output and of the kept nodes only.
        var needed = Array(repeating: false, count: nodes.count)
        for root in [output] + keep { needed[root] = true }
        for i in stride(from: nodes.count - 1, through: 0, by: -1) where needed[i] && !nodes[i].isConstant {
            for input in Tape.inputs(of: nodes[i], customInputs) { needed[input] = true }
        }
        self.forwardOrder = nodes.indices.filter { needed[$0] && !nodes[$0].isConstant && !Tape.isLeaf(nodes[$0]) }
        self.backwardOrder = backward
    }

    static func inputs(of node: Node, _ customInputs: [[Int]]) -> [Int] {
        if case .custom(let k) = node.operation { return customInputs[k] }
        return [node.inputs.0, node.inputs.1].filter { $0 >= 0 }
    }

    static func isLeaf(_ node: Node) -> Bool {
        switch node.operation {
        case .parameter, .constant: return true
        default: return false
        }
    }
}
