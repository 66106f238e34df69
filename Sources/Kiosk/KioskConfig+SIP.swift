import SIP

extension KioskConfig {
    static func parseSIP(_ section: ConfigReader) throws(ConfigError) -> SIPSettings {
        var r = section
        var sip = SIPSettings()
        sip.bindAddress = try r.string("bindAddress", default: sip.bindAddress)
        sip.port = try r.int("port", default: sip.port, range: 0...65_535)
        sip.advertisedAddress = try r.optionalString("advertisedAddress")
        if r.hasValue("advertisedPort") { sip.advertisedPort = try r.int("advertisedPort", default: 0, range: 1...65_535) }
        let transport = try r.string("transport", default: "udp")
        guard let kind = SIPSettings.Transport(rawValue: transport) else {
            throw r.fail("transport", "'\(transport)' is not one of udp, tcp, tls")
        }
        sip.transport = kind
        sip.caFile = try r.optionalString("caFile")
        if kind == .tls && sip.caFile == nil { throw r.fail("caFile", "TLS needs the CA file the contact center's certificate is checked against") }
        sip.user = try r.string("user", default: sip.user)
        sip.domain = try r.string("domain", default: sip.domain)
        sip.displayName = try r.optionalString("displayName")
        sip.password = try r.optionalString("password")
        if let registrar = try r.optionalString("registrar") {
            guard (try? SIPURI(parsing: registrar)) != nil else { throw r.fail("registrar", "'\(registrar)' is not a SIP URI") }
            sip.registrar = registrar
        }
        sip.registerExpires = try r.int("registerExpires", default: sip.registerExpires, range: 10...86_400)
        sip.keepAliveSeconds = try r.int("keepAliveSeconds", default: sip.keepAliveSeconds, range: 0...3600)
        sip.allowPlainRTP = try r.bool("allowPlainRTP", default: false)
        sip.ringTimeoutSeconds = try r.int("ringTimeoutSeconds", default: sip.ringTimeoutSeconds, range: 0...3600)
        sip.mediaTimeoutSeconds = try r.int("mediaTimeoutSeconds", default: sip.mediaTimeoutSeconds, range: 0...600)
        if let ports = try r.optionalString("rtpPorts") {
            let parts = ports.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2, parts[0] < parts[1], parts[0] >= 1024, parts[1] <= 65_535 else {
                throw r.fail("rtpPorts", "'\(ports)' is not LOW-HIGH, e.g. 20000-20099")
            }
            sip.rtpPorts = parts[0]...parts[1]
        }
        guard (try? SIPURI(parsing: "sip:\(sip.user)@\(sip.domain)")) != nil else {
            throw r.fail("user", "sip:\(sip.user)@\(sip.domain) is not a SIP address")
        }
        try r.finish()
        return sip
    }

    static func parseContactCenter(_ section: ConfigReader) throws(ConfigError) -> ContactCenterSettings {
        var r = section
        var cc = ContactCenterSettings()
        cc.defaultTarget = try r.optionalString("defaultTarget")
        if let target = cc.defaultTarget, (try? SIPURI(parsing: target)) == nil {
            throw r.fail("defaultTarget", "'\(target)' is not a SIP URI")
        }
        var categories = try r.section("categories")
        for name in categories.keys {
            let target = try categories.string(name, default: "")
            guard (try? SIPURI(parsing: target)) != nil else { throw categories.fail(name, "'\(target)' is not a SIP URI") }
            cc.targets[name] = target
        }
        try categories.finish()
        cc.endpoints = try r.strings("endpoints")
        for (i, endpoint) in cc.endpoints.enumerated() where (try? SIPURI(parsing: endpoint)) == nil {
            throw r.fail("endpoints", "entry \(i + 1), '\(endpoint)', is not a SIP URI")
        }
        cc.failoverSeconds = try r.double("failoverSeconds", default: cc.failoverSeconds, range: 0.5...120)
        cc.healthCheckSeconds = try r.double("healthCheckSeconds", default: cc.healthCheckSeconds, range: 0...3600)
        try r.finish()
        return cc
    }

    static func parseSite(_ section: ConfigReader) throws(ConfigError) -> SiteSettings {
        var r = section
        var site = SiteSettings()
        site.site = try r.string("site", default: "")
        site.address = try r.string("address", default: "")
        site.floor = try r.string("floor", default: "")
        if r.hasValue("latitude") || r.hasValue("longitude") {
            site.latitude = try r.double("latitude", default: .nan, range: -90...90)
            site.longitude = try r.double("longitude", default: .nan, range: -180...180)
            if site.latitude!.isNaN || site.longitude!.isNaN { throw r.fail("latitude", "latitude and longitude go together") }
        }
        var tagging = ContextTagging()
        tagging.xHeaders = try r.bool("xHeaders", default: true)
        tagging.userToUser = try r.bool("userToUser", default: true)
        tagging.userToUserMaxBytes = try r.int("userToUserMaxBytes", default: 128, range: 16...4096)
        tagging.userToUserPurpose = try r.optionalString("userToUserPurpose")
        if r.hasValue("fields") {
            let names = try r.strings("fields")
            tagging.fields = []
            for name in names {
                guard let field = KioskContext.Field(rawValue: name) else {
                    throw r.fail("fields", "'\(name)' is not one of \(KioskContext.Field.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tagging.fields.append(field)
            }
        }
        site.tagging = tagging
        try r.finish()
        return site
    }
}
