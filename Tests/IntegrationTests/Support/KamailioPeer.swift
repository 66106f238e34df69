import Foundation

/// Kamailio as the contact center's registrar and proxy: digest auth with static users (kiosk/kioskpass,
/// agent/agentpass), locations in memory, on a free loopback port (UDP and TCP). The configuration is
/// the one in shared/reference/peers, written with this test's port.
final class KamailioPeer: @unchecked Sendable {
    let dir: String
    let port: Int
    private var process: TestProcess?
    private var starts = 0

    /// Where Kamailio takes SIP over TLS, when started with a certificate.
    let tlsPort: Int?

    /// With `tls` (a certificate and its key, PEM files), Kamailio also listens for TLS on `tlsPort`.
    /// `config`: another configuration for the port (the default is the registrar and proxy below).
    init(in dir: String, port: Int? = nil, tls: (certificate: String, key: String)? = nil, config makeConfig: ((Int) -> String)? = nil) throws {
        self.dir = dir
        self.port = try port ?? TestEnvironment.freePort()
        tlsPort = try tls.map { _ in try TestEnvironment.freeTCPPort() }
        var config = (makeConfig ?? Self.config(port:))(self.port)
        if let tls, let tlsPort {
            let tlsConfig = """
            [server:default]
            method = TLSv1.2+
            verify_certificate = no
            require_certificate = no
            certificate = \(tls.certificate)
            private_key = \(tls.key)

            [client:default]
            method = TLSv1.2+
            verify_certificate = no
            require_certificate = no
            """
            try tlsConfig.write(toFile: "\(dir)/tls.cfg", atomically: true, encoding: .utf8)
            config = config.replacingOccurrences(of: "alias=", with: """
                enable_tls=yes
                listen=tls:127.0.0.1:\(tlsPort)
                alias=
                """).replacingOccurrences(of: "loadmodule \"tm.so\"", with: """
                loadmodule "tls.so"
                modparam("tls", "config", "\(dir)/tls.cfg")
                loadmodule "tm.so"
                """)
        }
        try config.write(toFile: "\(dir)/kamailio.cfg", atomically: true, encoding: .utf8)
    }

    /// Starts Kamailio in the foreground (a child of the test, stopped by PID) and waits for its port.
    func start() throws {
        starts += 1
        let p = try TestProcess("kamailio", ["-DD", "-E", "-f", "\(dir)/kamailio.cfg", "-Y", dir, "-P", "\(dir)/kamailio.pid"],
                                in: dir, name: "kamailio-\(starts)")
        process = p
        guard TestEnvironment.waitForUDPListener(port: port, seconds: 10) else {
            throw TestSetupError("kamailio did not open 127.0.0.1:\(port): \(p.stderr.suffix(2000))")
        }
        if let tlsPort, !TestEnvironment.waitForTCPListener(port: tlsPort, seconds: 10) {
            throw TestSetupError("kamailio did not open TLS on 127.0.0.1:\(tlsPort): \(p.stderr.suffix(2000))")
        }
    }

    /// Stops Kamailio and its worker processes (they share its sockets): SIGTERM, or SIGKILL for a crash
    /// (`hard`); whatever lingers after 3 s is killed.
    func stop(hard: Bool = false) {
        guard let process else { return }
        let pid = String(process.pid)
        func signalWorkers(_ signal: String) {
            if let pkill = try? TestProcess("pkill", ["-\(signal)", "-P", pid], in: dir, name: "pkill") { pkill.wait(seconds: 5) }
        }
        signalWorkers(hard ? "KILL" : "TERM")
        process.signal(hard ? SIGKILL : SIGTERM)
        if process.wait(seconds: 3) == nil {
            signalWorkers("KILL")
            process.signal(SIGKILL)
            process.wait(seconds: 5)
        }
        self.process = nil
        // Wait until the port is free again, for a restart on the same port.
        _ = TestEnvironment.waitForUDPListenerGone(port: port, seconds: 5)
    }

    func restart(hard: Bool = false) throws {
        stop(hard: hard)
        try start()
    }

    /// What Kamailio logged across all its runs (its xlog lines name each request it handled).
    var log: String {
        (1...max(1, starts)).map { (try? String(contentsOfFile: "\(dir)/kamailio-\($0).err", encoding: .utf8)) ?? "" }.joined()
    }

    deinit { stop() }

    static func config(port: Int) -> String {
        """
        #!KAMAILIO
        # A registrar and proxy with digest auth and no database (static passwords), for kioskd's tests.
        debug=2
        log_stderror=yes
        memdbg=5
        memlog=5
        children=2
        auto_aliases=no
        listen=udp:127.0.0.1:\(port)
        listen=tcp:127.0.0.1:\(port)
        alias="127.0.0.1:\(port)"

        loadpath "/usr/lib/x86_64-linux-gnu/kamailio/modules/"
        loadmodule "tm.so"
        loadmodule "tmx.so"
        loadmodule "sl.so"
        loadmodule "rr.so"
        loadmodule "pv.so"
        loadmodule "maxfwd.so"
        loadmodule "textops.so"
        loadmodule "siputils.so"
        loadmodule "xlog.so"
        loadmodule "usrloc.so"
        loadmodule "registrar.so"
        loadmodule "auth.so"

        modparam("usrloc", "db_mode", 0)
        modparam("registrar", "max_expires", 3600)
        modparam("registrar", "min_expires", 10)

        request_route {
            if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
            xlog("L_INFO", "REQ $rm $ru from $fu (src $si:$sp over $pr)\\n");
            if (is_method("CANCEL")) { if (t_check_trans()) t_relay(); exit; }
            if (!is_method("ACK")) {
                if (t_precheck_trans()) { t_check_trans(); exit; }
                t_check_trans();
            }
            if (has_totag()) {
                if (loose_route()) { route(RELAY); exit; }
                if (is_method("ACK")) { if (t_check_trans()) t_relay(); exit; }
                sl_send_reply("404", "Not here"); exit;
            }
            remove_hf("Route");
            if (is_method("INVITE")) record_route();
            if (is_method("REGISTER") || from_uri == myself) route(AUTH);
            if (is_method("REGISTER")) {
                if (!save("location")) sl_reply_error();
                exit;
            }
            if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
            route(RELAY);
        }

        route[AUTH] {
            $var(pw) = "";
            if ($au == "kiosk") $var(pw) = "kioskpass";
            else if ($au == "agent") $var(pw) = "agentpass";
            if (is_method("REGISTER")) {
                if (!pv_www_authenticate("$td", "$var(pw)", "0")) { xlog("L_INFO", "AUTH challenge $rm $au\\n"); www_challenge("$td", "1"); exit; }
                if ($au != $tU) { sl_send_reply("403", "Forbidden auth ID"); exit; }
            } else {
                if (!pv_proxy_authenticate("$fd", "$var(pw)", "0")) { xlog("L_INFO", "AUTH challenge $rm $au\\n"); proxy_challenge("$fd", "1"); exit; }
                if ($au != $fU) { sl_send_reply("403", "Forbidden auth ID"); exit; }
            }
            consume_credentials();
        }

        route[RELAY] {
            if (!t_relay()) sl_reply_error();
            exit;
        }
        """
    }
}
