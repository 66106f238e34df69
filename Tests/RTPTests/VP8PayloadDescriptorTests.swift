import Testing
@testable import RTP

@Suite struct VP8PayloadDescriptorTests {
    @Test func minimalDescriptorIsOneOctet() throws {
        let descriptor = VP8PayloadDescriptor(isStartOfPartition: true, partitionIndex: 0)
        #expect(descriptor.serialized() == [0x10])
        let (parsed, length) = try VP8PayloadDescriptor.parse([0x10, 0xAA])
        #expect(length == 1)
        #expect(parsed == descriptor)
        #expect(parsed.startsFrame)
    }

    @Test func allFieldsHaveTheSpecifiedLayout() throws {
        let descriptor = VP8PayloadDescriptor(
            isNonReference: true, isStartOfPartition: false, partitionIndex: 5,
            pictureID: 0x1234, hasLongPictureID: true, tl0PictureIndex: 0x99,
            temporalLayerIndex: 2, isLayerSync: true, keyIndex: 17)
        let bytes = descriptor.serialized()
        // X|N|PID=5, I|L|T|K, M + 15-bit ID, TL0PICIDX, TID=2|Y|KEYIDX=17.
        #expect(bytes == [0xA5, 0xF0, 0x92, 0x34, 0x99, 0xB1])
        #expect(descriptor.size == 6)
        let (parsed, length) = try VP8PayloadDescriptor.parse(bytes + [0x00])
        #expect(length == 6)
        #expect(parsed == descriptor)
        #expect(!parsed.startsFrame)
    }

    @Test func shortPictureIDIsSevenBits() throws {
        let descriptor = VP8PayloadDescriptor(isStartOfPartition: true, pictureID: 0x55, hasLongPictureID: false)
        #expect(descriptor.serialized() == [0x90, 0x80, 0x55])
        let (parsed, length) = try VP8PayloadDescriptor.parse([0x90, 0x80, 0x55])
        #expect(length == 3)
        #expect(parsed.pictureID == 0x55)
        #expect(parsed.hasLongPictureID == false)
    }

    @Test func keyIndexWithoutTemporalLayer() throws {
        let descriptor = VP8PayloadDescriptor(isStartOfPartition: true, keyIndex: 3)
        #expect(descriptor.serialized() == [0x90, 0x10, 0x03])
        #expect(try VP8PayloadDescriptor.parse([0x90, 0x10, 0x03]).descriptor == descriptor)
    }

    @Test func truncatedDescriptorsThrow() {
        let full: [UInt8] = [0xA5, 0xF0, 0x92, 0x34, 0x99, 0xB1]
        for length in 0..<full.count {
            #expect(throws: VP8ParseError.truncated(needed: length + 1, available: length)) {
                try VP8PayloadDescriptor.parse(Array(full.prefix(length)))
            }
        }
    }
}
