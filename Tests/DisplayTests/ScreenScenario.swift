import Display

/// The screens the golden pictures show, with believable content per language: the kiosk's name and
/// categories as a town hall would configure them, and deterministic synthetic video.
struct ScreenScenario: Sendable, CustomStringConvertible {
    let name: String
    let screen: @Sendable (Language) -> Screen
    let frames: @Sendable () -> CallFrames

    var description: String { name }

    static func kioskName(_ language: Language) -> String {
        switch language.code {
        case "de": "Rathaus Flussufer – Bürgerbüro"
        case "zh": "河畔市政厅 – 市民服务中心"
        default: "Riverside Town Hall – Citizens' Office"
        }
    }

    static func categories(_ language: Language) -> [String] {
        switch language.code {
        case "de": ["Pässe und Personalausweise", "Meldewesen und Ummeldung", "Kfz-Zulassung", "Abfall und Wertstoffe",
                    "Grundsteuer, Hundesteuer und sonstige kommunale Abgaben", "Etwas anderes"]
        case "zh": ["护照和身份证", "户籍登记与迁移", "车辆登记", "垃圾分类与回收", "房产税、养犬税及其他地方税费", "其他事项"]
        default: ["Passports and ID cards", "Registering your address", "Vehicle registration", "Waste and recycling",
                  "Property tax, dog licence and other municipal fees", "Something else"]
        }
    }

    static func chat(_ language: Language) -> [ChatMessage] {
        switch language.code {
        case "de": [
            ChatMessage(sender: "Anna Schmidt", text: "Guten Tag! Ich bin Anna Schmidt. Wie kann ich Ihnen helfen?"),
            ChatMessage(sender: "Anna Schmidt", text: "Für die Ummeldung brauchen Sie Ihren Ausweis und die Wohnungsgeberbestätigung."),
            ChatMessage(sender: "Anna Schmidt", text: "Ich habe Ihnen das Formular geschickt – scannen Sie einfach den Code mit Ihrem Smartphone. Sie können es zu Hause ausfüllen und bei Ihrem nächsten Besuch mitbringen, dann geht alles ganz schnell."),
        ]
        case "zh": [
            ChatMessage(sender: "王丽", text: "您好！我是王丽，请问有什么可以帮您？"),
            ChatMessage(sender: "王丽", text: "办理户籍迁移需要携带身份证和房屋租赁证明。"),
            ChatMessage(sender: "王丽", text: "我已经把表格发给您了，请用手机扫描二维码。您可以在家填写，下次来办理时带上，这样会快很多。"),
        ]
        default: [
            ChatMessage(sender: "Anna Smith", text: "Hello! I'm Anna. How can I help you today?"),
            ChatMessage(sender: "Anna Smith", text: "To register your new address you need your ID card and the landlord's confirmation."),
            ChatMessage(sender: "Anna Smith", text: "I've sent you the form – just scan the code with your phone. You can fill it in at home and bring it along next time, then it only takes a few minutes."),
        ]
        }
    }

    static func agentName(_ language: Language) -> String { language.code == "zh" ? "王丽" : language.code == "de" ? "Anna Schmidt" : "Anna Smith" }

    static func link(_ language: Language) -> SharedLink {
        let caption = switch language.code {
        case "de": "Formular: Anmeldung einer Wohnung"
        case "zh": "表格：住址登记申请"
        default: "Form: registering your address"
        }
        return SharedLink(url: "https://riverside.example/forms/address-registration?lang=\(language.code)", caption: caption)
    }

    // Small synthetic pictures: the renderer scales them like real decoded frames.
    static let agentPicture = I420Image.colourBars(width: 640, height: 360)
    static let slidePicture = I420Image.slide(width: 640, height: 360)
    static let selfPicture = I420Image.portrait(width: 320, height: 240)

    static let all: [ScreenScenario] = [
        ScreenScenario(name: "idle", screen: { _ in .idle(languages: Language.supported) }, frames: { CallFrames() }),
        ScreenScenario(name: "choosing-category", screen: { .choosingCategory(categories: categories($0), highlighted: 1) },
                       frames: { CallFrames() }),
        ScreenScenario(name: "choosing-language", screen: { _ in .choosingLanguage(languages: Language.supported, highlighted: 2) },
                       frames: { CallFrames() }),
        ScreenScenario(name: "connecting", screen: { .connecting(category: categories($0)[1]) }, frames: { CallFrames() }),
        ScreenScenario(name: "waiting", screen: { _ in .waitingInQueue(position: 3, estimatedWait: .seconds(250)) },
                       frames: { CallFrames() }),
        ScreenScenario(name: "in-call", screen: {
            .inCall(InCallScreen(agentName: agentName($0), chat: Array(chat($0).prefix(2))))
        }, frames: { CallFrames(agent: agentPicture) }),
        ScreenScenario(name: "in-call-sharing", screen: {
            .inCall(InCallScreen(agentName: agentName($0), content: .besideAgent, chat: chat($0), sharedLink: link($0),
                                 cameraOn: true, selfViewShown: true))
        }, frames: { CallFrames(agent: agentPicture, content: slidePicture, selfView: selfPicture) }),
        ScreenScenario(name: "in-call-content-instead", screen: {
            .inCall(InCallScreen(agentName: agentName($0), content: .insteadOfAgent, chat: chat($0), sharedLink: link($0)))
        }, frames: { CallFrames(agent: agentPicture, content: slidePicture) }),
        ScreenScenario(name: "in-call-consent", screen: {
            .inCall(InCallScreen(agentName: agentName($0), chat: Array(chat($0).prefix(2)), consentRequested: true))
        }, frames: { CallFrames(agent: agentPicture) }),
        ScreenScenario(name: "call-ended", screen: { _ in .callEnded(duration: .seconds(7 * 60 + 42), reason: .agentHungUp) },
                       frames: { CallFrames() }),
        // The longest reason of the failures, under the apology.
        ScreenScenario(name: "call-not-connected", screen: { _ in .callEnded(duration: nil, reason: .noUsableConnection) },
                       frames: { CallFrames() }),
        ScreenScenario(name: "out-of-service", screen: { _ in
            .outOfService(reason: "SIP registration to sip.riverside.example:5061 failed: 403 Forbidden (since 08:14; 12 attempts)")
        }, frames: { CallFrames() }),
    ]
}
