package org.ccbridge.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

import org.junit.jupiter.api.Test;

class ValueNormalizerTests {

    private final ValueNormalizer us = new ValueNormalizer(new PhoneNumbers("US"));
    private final ValueNormalizer gb = new ValueNormalizer(new PhoneNumbers("GB"));

    @Test
    void phoneNumbersBecomeE164InTheDefaultRegion() {
        assertThat(us.canonical("phone", FieldType.PHONE, text("(202) 555-0143"))).isEqualTo("+12025550143");
        assertThat(us.canonical("phone", FieldType.PHONE, text("+44 20 7946 0958"))).isEqualTo("+442079460958");
        assertThat(gb.canonical("phone", FieldType.PHONE, text("020 7946 0958"))).isEqualTo("+442079460958");
    }

    @Test
    void phoneNumbersGoOutInTheTargetsFormat() {
        assertThat(us.forTarget("phone", FieldType.PHONE, "+12025550143", PhoneFormat.NATIONAL, null))
                .isEqualTo("(202) 555-0143");
        assertThat(us.forTarget("phone", FieldType.PHONE, "+12025550143", PhoneFormat.INTERNATIONAL, null))
                .isEqualTo("+1 202-555-0143");
        assertThat(us.forTarget("phone", FieldType.PHONE, "+12025550143", PhoneFormat.E164, null))
                .isEqualTo("+12025550143");
    }

    @Test
    void anInvalidPhoneNumberNamesTheFieldButNotTheValue() {
        assertThatThrownBy(() -> us.canonical("phone", FieldType.PHONE, text("555-12")))
                .isInstanceOf(InvalidFieldValueException.class)
                .hasMessageContaining("phone").hasMessageNotContaining("555-12");
        assertThatThrownBy(() -> us.canonical("phone", FieldType.PHONE, text("call me maybe")))
                .isInstanceOf(InvalidFieldValueException.class);
    }

    @Test
    void emailChecksAreLinearAndCappedAndAgreeWithThePatternTheyReplace() {
        Pattern replaced = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
        for (String sample : new String[] {"a@b.c", "a@.b.c", "a@b.", "a@b.c.", "@b.c", "a@@b.c", "a@b@c.d", "a b@c.d",
                "a@bc", "a@b..c", "x@a.b.c", "a@.b", "a.b@c"}) {
            assertThat(ValueNormalizer.looksLikeEmail(sample)).as(sample).isEqualTo(replaced.matcher(sample).matches());
        }
        // a long domain without a dot made the pattern backtrack quadratically; now it is refused by length
        assertThatThrownBy(() -> us.canonical("email", FieldType.EMAIL, text("a@" + "b".repeat(100_000))))
                .isInstanceOf(InvalidFieldValueException.class).hasMessageContaining("longer than 254");
        assertThat(us.canonical("email", FieldType.EMAIL, text("a@" + "b".repeat(249) + ".io"))).hasSize(254);
    }

    @Test
    void emailsAreTrimmedAndLowerCased() {
        assertThat(us.canonical("email", FieldType.EMAIL, text("  Jane.Doe@Example.COM "))).isEqualTo("jane.doe@example.com");
        assertThatThrownBy(() -> us.canonical("email", FieldType.EMAIL, text("jane at example")))
                .isInstanceOf(InvalidFieldValueException.class).hasMessageContaining("email");
    }

    @Test
    void timestampsBecomeUtcInstants() {
        assertThat(us.canonical("at", FieldType.TIMESTAMP, text("2026-11-24T23:30:00-05:00")))
                .isEqualTo("2026-11-25T04:30:00Z");
        assertThat(us.canonical("at", FieldType.TIMESTAMP, text("2026-11-24T10:00:00.000+0000")))
                .isEqualTo("2026-11-24T10:00:00Z");
        assertThat(us.canonical("at", FieldType.TIMESTAMP, JsonNodeFactory.instance.numberNode(1_764_000_000_000L)))
                .isEqualTo("2025-11-24T16:00:00Z");
        assertThatThrownBy(() -> us.canonical("at", FieldType.TIMESTAMP, text("2026-11-24T10:00:00")))
                .isInstanceOf(InvalidFieldValueException.class).hasMessageContaining("offset");
    }

    @Test
    void aNullClearsAndContainersAreRefused() {
        assertThat(us.canonical("email", FieldType.EMAIL, JsonNodeFactory.instance.nullNode())).isNull();
        assertThatThrownBy(() -> us.canonical("email", FieldType.TEXT, JsonNodeFactory.instance.objectNode()))
                .isInstanceOf(InvalidFieldValueException.class);
    }

    @Test
    void valuesAreCheckedAgainstTheTargetFieldsPattern() {
        Pattern mask = Pattern.compile("\\(\\d{3}\\) \\d{3}-\\d{4}");
        assertThat(us.forTarget("phone", FieldType.PHONE, "+12025550143", PhoneFormat.NATIONAL, mask))
                .isEqualTo("(202) 555-0143");
        assertThatThrownBy(() -> us.forTarget("phone", FieldType.PHONE, "+442079460958", PhoneFormat.NATIONAL, mask))
                .isInstanceOf(InvalidFieldValueException.class).hasMessageContaining("pattern");
    }

    @Test
    void integersAndBooleansAreTyped() {
        assertThat(us.canonical("n", FieldType.INTEGER, text(" 42 "))).isEqualTo("42");
        assertThat(us.forTarget("n", FieldType.INTEGER, "42", PhoneFormat.E164, null)).isEqualTo(42L);
        assertThat(us.canonical("b", FieldType.BOOLEAN, JsonNodeFactory.instance.booleanNode(true))).isEqualTo("true");
        assertThatThrownBy(() -> us.canonical("b", FieldType.BOOLEAN, text("yes")))
                .isInstanceOf(InvalidFieldValueException.class);
    }

    private static TextNode text(String value) {
        return TextNode.valueOf(value);
    }
}
