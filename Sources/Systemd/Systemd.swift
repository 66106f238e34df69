// The Systemd target; see Package.swift for what it holds.
