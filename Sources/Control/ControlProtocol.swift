// The control socket's protocol: see Package.swift.
