// Interaction records: see Package.swift. The store, the outbox and the delivery come in their own files.
