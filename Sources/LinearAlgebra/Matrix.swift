/// A dense row-major matrix of `Double`.
///
/// Element (i, j) is stored at `storage[i * columns + j]`, the layout `CblasRowMajor` expects,
/// so a `Matrix` is handed to BLAS/LAPACK without copying.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var storage: [Double]

    /// A `rows x columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative size \(rows) x \(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major values; `values.count` must equal `rows * columns`.
    public init(rows: Int, columns: Int, rowMajor values: [Double]) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative size \(rows) x \(columns)")
        precondition(values.count == rows * columns,
                     "Matrix: \(values.count) values given for a \(rows) x \(columns) matrix (need \(rows * columns))")
        self.rows = rows
        self.columns = columns
        self.storage = values
    }

    /// The `n x n` identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "Matrix: index (\(row), \(column)) outside \(rows) x \(columns)")
            return storage[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "Matrix: index (\(row), \(column)) outside \(rows) x \(columns)")
            storage[row * columns + column] = newValue
        }
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] {
        precondition(i >= 0 && i < rows, "Matrix: row \(i) outside \(rows) rows")
        return Array(storage[(i * columns)..<((i + 1) * columns)])
    }

    /// The matrix whose row i is `transform(row(i))` (each result must have `columns` elements
    /// of the new matrix, the same for every row).
    public func mapRows(_ transform: ([Double]) -> [Double]) -> Matrix {
        guard rows > 0 else { return self }
        var out: [Double] = []
        out.reserveCapacity(storage.count)
        for i in 0..<rows { out.append(contentsOf: transform(row(i))) }
        return Matrix(rows: rows, columns: out.count / rows, rowMajor: out)
    }

    /// The transpose, as a new matrix.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t.storage[j * rows + i] = storage[i * columns + j] } }
        return t
    }
}
