// The KioskFlow target; see Package.swift for what it holds.
