import GRDB

/// Why the records database could not be opened or written, in the words a technician acts on.
public struct RecordStoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// SQLITE_FULL: the file system (or the database's page limit) has no room left.
        case diskFull
        /// The file or its directory cannot be opened or written (permissions, read-only, missing directory).
        case notWritable
        /// Anything else SQLite reported.
        case other
    }

    public var kind: Kind
    public var path: String
    public var reason: String

    public init(kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch kind {
        case .diskFull: "records database \(path): the disk is full (SQLITE_FULL): \(reason)"
        case .notWritable: "records database \(path): cannot write: \(reason)"
        case .other: "records database \(path): \(reason)"
        }
    }

    static func from(_ error: any Error, path: String) -> RecordStoreError {
        if let error = error as? RecordStoreError { return error }
        guard let database = error as? DatabaseError else { return RecordStoreError(kind: .other, path: path, reason: "\(error)") }
        let reason = database.message ?? "\(database.resultCode)"
        switch database.resultCode {
        case .SQLITE_FULL: return RecordStoreError(kind: .diskFull, path: path, reason: reason)
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH, .SQLITE_IOERR:
            return RecordStoreError(kind: .notWritable, path: path, reason: "\(reason) (\(database.resultCode))")
        default: return RecordStoreError(kind: .other, path: path, reason: "\(reason) (\(database.resultCode))")
        }
    }
}
