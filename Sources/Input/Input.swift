// The Input target; see Package.swift for what it holds.
