package dev.vlltr.runtime.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlltr.runtime.cli.BadInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Headers written by hand: every way a header can lie is an error naming the file and the tensor. */
class SafetensorsHeaderTest {

    @Test
    void validHeaderListsTensorsInDataOrder() throws Exception {
        SafetensorsHeader h = parse("{\"__metadata__\":{\"k\":\"v\"},\"b\":{\"dtype\":\"F16\",\"shape\":[3],"
                + "\"data_offsets\":[8,14]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 14);
        assertEquals(2, h.tensors().size());
        assertEquals("a", h.tensors().get(0).name());
        assertEquals("b", h.tensors().get(1).name());
        assertEquals(14, h.dataBytes());
    }

    @Test
    void integerTensorsAreRefused() {
        assertEquals("f: tensor 'n': field 'dtype': expected one of " + SafetensorsHeader.DTYPES.keySet()
                + " (floating-point weights), got \"I64\"",
                fail("{\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}}", 8));
    }

    @Test
    void spanMustMatchShapeAndDtype() {
        assertEquals("f: tensor 'a': data_offsets span 8 bytes, its shape [3] of F32 needs 12",
                fail("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8));
    }

    @Test
    void overlapsGapsAndTrailingBytesAreRefused() {
        assertEquals("f: tensor 'b': data_offsets start at 4, expected 8 (tensors must tile the data section without"
                + " gaps or overlaps)", fail("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8));
        assertEquals("f: the tensors cover 8 bytes of data, the file has 12 (truncated or trailing bytes)",
                fail("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12));
    }

    @Test
    void absurdHeaderLengthIsRefusedBeforeReading() {
        byte[] file = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array();
        BadInputException e = assertThrows(BadInputException.class,
                () -> SafetensorsHeader.read(new ByteArrayInputStream(file), file.length, "f"));
        assertEquals("f: not a safetensors file: header length 1099511627776 (expected 2 to 8 bytes for a file of 16"
                + " bytes)", e.getMessage());
    }

    @Test
    void unknownEntryFieldIsNamed() {
        String m = fail("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"offsets\":[0,4]}}", 4);
        org.junit.jupiter.api.Assertions.assertTrue(m.startsWith("f: tensor 'a': unknown field 'offsets'; known: "), m);
    }

    private static String fail(String header, int dataBytes) {
        return assertThrows(BadInputException.class, () -> parse(header, dataBytes)).getMessage();
    }

    private static SafetensorsHeader parse(String header, int dataBytes) throws Exception {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.write(json);
        out.write(new byte[dataBytes]);
        byte[] file = out.toByteArray();
        return SafetensorsHeader.read(new ByteArrayInputStream(file), file.length, "f");
    }
}
