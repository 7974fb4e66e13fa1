package io.javanet.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rates read as tc(8) reads them (iproute2 lib/utils_math.c), and refused with the text named. */
class RateTest {

    @ParameterizedTest
    @CsvSource({
            "10mbit, 10000000",
            "1gbit, 1000000000",
            "500kbit, 500000",
            "100bit, 100",
            "100, 100",
            "1.5mbit, 1500000",
            "10Mbit, 10000000",
            "2tbit, 2000000000000",
            "1kibit, 1024",
            "1mibit, 1048576",
            "1gibit, 1073741824",
            "1tibit, 1099511627776",
            "1bps, 8",
            "10mbps, 80000000",
            "10MBps, 80000000",
            "3kbps, 24000",
            "1kibps, 8192",
            "1mibps, 8388608",
            "1gbps, 8000000000",
            "1gibps, 8589934592",
            "1tbps, 8000000000000",
            "1tibps, 8796093022208",
    })
    void readsTcUnits(String text, long bits) {
        assertThat(Rate.parse(text).bitsPerSecond()).isEqualTo(bits);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0mbit | rate \"0mbit\" is zero",
            "-5mbit | rate \"-5mbit\" is not a number and a unit",
            "fast | rate \"fast\" is not a number and a unit",
            "10 mbit | rate \"10 mbit\" is not a number and a unit",
            "1e6bit | rate \"1e6bit\" is not a number and a unit",
            "10mbitz | rate \"10mbitz\" has an unknown unit \"mbitz\"",
            "10mb | rate \"10mb\" has an unknown unit \"mb\"",
            "0.1bit | rate \"0.1bit\" is not a whole number of bits per second",
            "7bit | rate \"7bit\" is below 8bit, one byte per second",
            "9223372036854775808bit | rate \"9223372036854775808bit\" is too large",
            "99999999tbps | rate \"99999999tbps\" is too large",
    })
    void refusesNamingTheText(String text, String message) {
        assertThatThrownBy(() -> Rate.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource({"''", "' '"})
    void refusesNothing(String text) {
        assertThatThrownBy(() -> Rate.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing rate");
        assertThatThrownBy(() -> Rate.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"20mbit, 20mbit", "1500kbit, 1500kbit", "1.5mbit, 1500kbit", "10mbps, 80mbit", "1kibit, 1024bit",
            "1gbit, 1gbit", "3tbit, 3tbit"})
    void writesItselfAsTcWould(String text, String written) {
        assertThat(Rate.parse(text)).hasToString(written);
        assertThat(Rate.parse(written)).isEqualTo(Rate.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"100bit, 12, 96", "20mbit, 2500000, 20000000"})
    void theKernelKeepsBytes(String text, long bytes, long readBack) {
        assertThat(Rate.parse(text).bytesPerSecond()).isEqualTo(bytes);
        assertThat(Rate.ofBytesPerSecond(bytes).bitsPerSecond()).isEqualTo(readBack);
    }
}
